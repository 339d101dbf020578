"""Write one full open-data dump now (what the nightly task does): every dataset in every format."""

from django.core.management.base import BaseCommand

from opendata.actions import do_write_dumps


class Command(BaseCommand):
    help = "Write a full dump of every open dataset under MEDIA_ROOT/opendata/ with its manifest."

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=None, help="runs to keep (default OPEN_DATA_DUMPS_KEEP)")

    def handle(self, *args, keep=None, **options):
        manifest = do_write_dumps(keep=keep)
        if manifest is None:
            self.stderr.write("another dump is being written; nothing done")
            return
        for entry in manifest["files"]:
            self.stdout.write(
                f"{entry['file']:32} {entry['records']:>9} rows {entry['bytes']:>12} bytes {entry['sha256']}"
            )
        self.stdout.write(f"dump {manifest['run']} written")
