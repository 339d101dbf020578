"""manage.py import_reports FILE --mapping M.yaml [--commit]

An old hotline's record into Fix-Tbilisi (fixtracker.importing): CSV (any encoding and delimiter),
Excel, or Open311 GeoReport v2 JSON. A dry run by default: it prints what a commit would write, by
category and status, and how many reports would be off the map. A refused file (a category the
mapping lacks, any row that cannot be imported) prints every value or row with its reason and
stops with a non-zero exit; nothing is written.
"""

from django.core.management.base import BaseCommand, CommandError

from fixtracker.importing import MappingError, ReportMapping, run_report_import
from layers.importing import ImportFailed, ImportRefused


class Command(BaseCommand):
    help = "Import historic reports from an old hotline (CSV, XLSX, Open311 JSON) into Fix-Tbilisi."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--mapping", required=True, help="the YAML mapping (see fixtracker/data/import_reports_example.yaml)"
        )
        parser.add_argument("--commit", action="store_true", help="write the reports (default: dry run)")

    def handle(self, *args, **options):
        try:
            mapping = ReportMapping.load_for(options["mapping"], options["file"])
        except MappingError as exc:
            raise CommandError(f"mapping: {exc}") from None
        try:
            result = run_report_import(mapping, options["file"], commit=options["commit"])
        except ImportRefused as exc:
            raise CommandError(f"refused, nothing written: {exc}") from None
        except ImportFailed as exc:
            raise CommandError(f"failed, nothing written: {exc}") from None
        for rejection in result.report.rejections:  # only skipped duplicates reach here
            self.stdout.write(f"  row {rejection.row}: {rejection.reason}")
        tally, run = result.tally, result.report.run
        would = "" if options["commit"] else "would be "
        self.stdout.write(f"  by category: {_counts(tally.categories) or 'none'}")
        self.stdout.write(f"  by status: {_counts(tally.statuses) or 'none'}")
        self.stdout.write(f"  {tally.off_map:,} {would}kept off the map (no usable location)")
        self.stdout.write(f"  {run.unchanged:,} already imported, left as they are")
        prefix = "Imported" if options["commit"] else "Dry run (nothing written; add --commit)"
        self.stdout.write(f"{prefix}: {result.report.summary()}.")


def _counts(counter) -> str:
    return ", ".join(f"{name} {n:,}" for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
