"""manage.py import_layer LAYER FILE --mapping MAPPING [--commit]

A thin shell over layers.importing: a dry run by default (reports exactly what a commit would do),
--commit writes in one transaction. Refused and skipped rows are listed with row number and reason;
a refused file, or a run that failed, stops with one line and a non-zero exit. Fix-Tbilisi reports
are not a register layer: they are imported by ``manage.py import_reports``.
"""

from django.core.management.base import BaseCommand, CommandError

from layers.importing import ImportFailed, ImportRefused, Mapping, MappingError, run_import
from layers.registry import all_layers


class Command(BaseCommand):
    help = "Import a register (CSV, XLSX, GeoJSON, Shapefile, GeoPackage; any CRS) into a map layer."

    def add_arguments(self, parser):
        parser.add_argument("layer", choices=[layer.slug for layer in all_layers()])
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="YAML or JSON mapping file")
        parser.add_argument("--commit", action="store_true", help="write the changes (default: dry run)")
        parser.add_argument("--show-rejected", type=int, default=50, help="how many refused or skipped rows to list")

    def handle(self, *args, **options):
        if options["layer"] == "reports":
            raise CommandError(
                "Fix-Tbilisi reports are not imported here (they need a category, a reporter and their clocks): "
                "use manage.py import_reports"
            )
        try:
            mapping = Mapping.load(options["mapping"])
        except MappingError as exc:
            raise CommandError(str(exc)) from None
        if mapping.layer != options["layer"]:
            raise CommandError(f"the mapping is for layer {mapping.layer}, not {options['layer']}")
        try:
            report = run_import(mapping, options["file"], commit=options["commit"])
        except ImportRefused as exc:
            raise CommandError(f"refused, nothing written: {exc}") from None
        except ImportFailed as exc:
            raise CommandError(f"failed, nothing written: {exc}") from None
        for rejection in report.rejections[: options["show_rejected"]]:
            self.stdout.write(f"  row {rejection.row}: {rejection.reason}")
        if len(report.rejections) > options["show_rejected"]:
            self.stdout.write(
                f"  … and {len(report.rejections) - options['show_rejected']} more refused or skipped rows"
            )
        prefix = "Imported" if options["commit"] else "Dry run (nothing written; add --commit)"
        self.stdout.write(f"{prefix}: {report.summary()}.")
