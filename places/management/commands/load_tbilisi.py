"""manage.py load_tbilisi: the real Tbilisi boundaries from ../shared/data (or SMARTMAP_DATA_DIR).

Re-runnable and quick when nothing changed; used by `make run`.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DISTRICTS = "tbilisi/tbilisi_10_districts_wgs84.geojson"
CITY = "tbilisi/tbilisi_city_boundary_geostat_wgs84.geojson"
SUBDISTRICTS = "tbilisi/tbilisi_25_majoritarian_districts_2017_wgs84.geojson"


class Command(BaseCommand):
    help = "Load Tbilisi's 10 districts, 25 sub-districts and the city boundary from the shared data folder."

    def handle(self, *args, **options):
        data = settings.SHARED_DATA_DIR
        for kind, name in (("districts", DISTRICTS), ("city", CITY), ("subdistricts", SUBDISTRICTS)):
            path = data / name
            if not path.exists():
                raise CommandError(f"{path} is missing: set SMARTMAP_DATA_DIR to the folder holding tbilisi/")
            call_command("import_boundaries", kind, str(path), commit=True, stdout=self.stdout)
