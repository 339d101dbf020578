"""manage.py load_gazetteer [FILE --source NAME]: streets and places for the offline search.

Without FILE, loads the demo set (real Tbilisi streets and places at approximate points, marked
demo). A FILE is a CSV with columns kind (street/place/address), name_ka, name_en, lon, lat.
Re-runnable: entries are matched by (kind, Georgian name, source).
"""

from django.core.management.base import BaseCommand, CommandError

from layers.gazetteer import DEMO_FILE, GazetteerFileError, load_places, read_places


class Command(BaseCommand):
    help = "Load gazetteer entries (streets, places) from a CSV, or the demo set."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--source", default=None)

    def handle(self, *args, **options):
        path = options["file"] or DEMO_FILE
        demo = options["file"] is None
        try:
            rows = read_places(path)
        except (OSError, GazetteerFileError) as exc:
            raise CommandError(str(exc)) from None
        counts = load_places(rows, source=options["source"] or ("demo" if demo else "file"), is_demo=demo)
        self.stdout.write(
            f"Gazetteer: {counts['created']} created, {counts['updated']} updated, {counts['outside']} outside Tbilisi."
        )
