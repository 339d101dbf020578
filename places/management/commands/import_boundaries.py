"""manage.py import_boundaries {districts,subdistricts,city} FILE [--commit]

A thin shell over places.importing: reads, repairs and checks the whole file, prints what would
change, and writes only with --commit (in one transaction). Any problem stops it with a one-line
reason and nothing changed. Districts are filled out to the stored city outline (and, when the city
is imported, the stored districts to it): the output says how many slivers went to a district.

Give the data's credit with --attribution and --licence (OpenStreetMap: "© OpenStreetMap
contributors", ODbL-1.0): it is stored with each district and shown wherever they are shown or
exported. After new district boundaries, `manage.py recheck_districts` says which stored items lie
in another district now.
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
        parser.add_argument(
            "--attribution", default="", help='the credit its licence asks for, e.g. "© OpenStreetMap contributors"'
        )
        parser.add_argument("--licence", default="", help="the data's licence, e.g. ODbL-1.0")

    def handle(self, *args, **options):
        try:
            what, save = self._read(options)
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
        if options["kind"] != "subdistricts" and counts["created"] + counts["updated"]:
            self.stdout.write("Boundaries changed: `manage.py recheck_districts` shows which items now lie elsewhere.")

    def _read(self, options):
        if options["kind"] == "subdistricts":
            subs = importing.read_subdistricts(options["file"], layer=options["layer"], srid=options["srid"])
            return f"{len(subs)} sub-districts", lambda: importing.save_subdistricts(subs)
        if options["kind"] == "city":
            city = importing.read_city(options["file"], layer=options["layer"], srid=options["srid"])
            what = f"city boundary ({sum(len(p.exterior.coords) for p in city.geoms)} vertices)"
            return what, lambda: importing.save_city(city)
        rows = importing.read_districts(
            options["file"],
            layer=options["layer"],
            srid=options["srid"],
            number_field=options["number_field"],
            name_ka_field=options["name_ka_field"],
            name_en_field=options["name_en_field"],
        )
        rows, filled = importing.fill_against_stored_city(rows)
        source = importing.BoundarySource(
            name=options["file"].rsplit("/", 1)[-1], attribution=options["attribution"], licence=options["licence"]
        )
        what = f"{len(rows)} districts"
        if filled.pieces:
            what += f" ({filled.pieces} slivers of the city, {filled.area_km2:.2f} km², given to their neighbours)"
        return what, lambda: importing.save_districts(rows, source)
