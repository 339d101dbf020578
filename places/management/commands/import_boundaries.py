"""manage.py import_boundaries {districts,subdistricts,city} FILE [--commit]

A thin shell over places.importing: reads, repairs and checks the whole file, prints what would
change, and writes only with --commit (in one transaction). Any problem stops it with a one-line
reason and nothing changed.
"""

from django.core.management.base import BaseCommand, CommandError

from places import importing
from smartmap.lib.geofiles import GeoFileError


class Command(BaseCommand):
    help = "Import Tbilisi district or city boundaries from GeoJSON, Shapefile or GeoPackage, in any CRS."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["districts", "subdistricts", "city"])
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="write the changes (default: dry run)")
        parser.add_argument("--layer", help="layer name inside a multi-layer file (GeoPackage)")
        parser.add_argument("--srid", help="CRS to assume when the file declares none, e.g. 32638")
        parser.add_argument("--number-field")
        parser.add_argument("--name-ka-field")
        parser.add_argument("--name-en-field")

    def handle(self, *args, **options):
        try:
            if options["kind"] == "districts":
                rows = importing.read_districts(
                    options["file"],
                    layer=options["layer"],
                    srid=options["srid"],
                    number_field=options["number_field"],
                    name_ka_field=options["name_ka_field"],
                    name_en_field=options["name_en_field"],
                )
                what = f"{len(rows)} districts"
                save = lambda: importing.save_districts(rows)  # noqa: E731
            elif options["kind"] == "subdistricts":
                subs = importing.read_subdistricts(options["file"], layer=options["layer"], srid=options["srid"])
                what = f"{len(subs)} sub-districts"
                save = lambda: importing.save_subdistricts(subs)  # noqa: E731
            else:
                city = importing.read_city(options["file"], layer=options["layer"], srid=options["srid"])
                what = f"city boundary ({sum(len(p.exterior.coords) for p in city.geoms)} vertices)"
                save = lambda: importing.save_city(city)  # noqa: E731
        except GeoFileError as exc:
            raise CommandError(str(exc)) from None
        if not options["commit"]:
            self.stdout.write(f"Dry run: read {what}; nothing written. Add --commit to save.")
            return
        counts = save()
        self.stdout.write(
            f"Imported {what}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
