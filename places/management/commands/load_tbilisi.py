"""manage.py load_tbilisi: the real Tbilisi boundaries from ../shared/data (or SMARTMAP_DATA_DIR).

The districts are OpenStreetMap's (ODbL: credited "© OpenStreetMap contributors" wherever they are
shown or exported); checked against the 2017 election precincts they put 97.8 % of points in the
right district, the older election-district file 86.5 %. That file stays importable:
`load_tbilisi --districts tbilisi/tbilisi_10_districts_wgs84.geojson`. Re-runnable and quick when
nothing changed; used by `make run`.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

OSM_DISTRICTS = "tbilisi/tbilisi_10_districts_osm_wgs84.geojson"
CITY = "tbilisi/tbilisi_city_boundary_geostat_wgs84.geojson"
SUBDISTRICTS = "tbilisi/tbilisi_25_majoritarian_districts_2017_wgs84.geojson"
# The credit each known district file's licence asks for: (attribution, licence).
CREDITS = {
    OSM_DISTRICTS: ("© OpenStreetMap contributors", "ODbL-1.0"),
    "tbilisi/tbilisi_10_districts_wgs84.geojson": ("Central Election Commission of Georgia (2017)", ""),
}


class Command(BaseCommand):
    help = "Load Tbilisi's 10 districts, 25 sub-districts and the city boundary from the shared data folder."

    def add_arguments(self, parser):
        parser.add_argument("--districts", default=OSM_DISTRICTS, help="a district file in the data folder")

    def handle(self, *args, **options):
        data = settings.SHARED_DATA_DIR
        districts = options["districts"]
        attribution, licence = CREDITS.get(districts, ("", ""))
        for kind, name, extra in (
            ("districts", districts, {"attribution": attribution, "licence": licence}),
            ("city", CITY, {}),
            ("subdistricts", SUBDISTRICTS, {}),
        ):
            path = data / name
            if not path.exists():
                raise CommandError(f"{path} is missing: set SMARTMAP_DATA_DIR to the folder holding tbilisi/")
            call_command("import_boundaries", kind, str(path), commit=True, stdout=self.stdout, **extra)
