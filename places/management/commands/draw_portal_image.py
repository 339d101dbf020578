"""manage.py draw_portal_image: redraw static/img/share.png, the picture of pages without a place.

The city and its ten districts from the database (run load_tbilisi first), the portal's name in
both languages beside them. Run by hand when the outlines or the drawing change, and commit the
file: the portal's picture is a static file, so it needs no database, font or drawing at run time.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from places import share_image
from smartmap.lib import placeimage

# Debian's fonts-noto-core and fonts-dejavu-core: Noto's Georgian face has no Latin letters.
GEORGIAN = "/usr/share/fonts/truetype/noto/NotoSansGeorgian-Bold.ttf"
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


class Command(BaseCommand):
    help = "Draw static/img/share.png (1200×630): Tbilisi's districts and the portal's name."

    def add_arguments(self, parser):
        parser.add_argument("--georgian-font", default=GEORGIAN, help="a TrueType font with Georgian letters")
        parser.add_argument("--latin-font", default=LATIN, help="a TrueType font with Latin letters")
        parser.add_argument("--output", default=str(settings.BASE_DIR / "static" / "img" / "share.png"))

    def handle(self, *args, **options):
        outlines = share_image.outlines()
        if "city" not in outlines:
            raise CommandError("No city boundary in the database: run manage.py load_tbilisi first.")
        scene = placeimage.Scene(city=outlines.pop("city"), districts=list(outlines.values()))
        png = placeimage.draw(
            scene,
            caption=[
                ("თბილისის ჭკვიანი რუკა", options["georgian_font"]),
                ("Smart Map Tbilisi", options["latin_font"]),
            ],
        )
        with open(options["output"], "wb") as f:
            f.write(png)
        self.stdout.write(f"{options['output']}: {len(png)} bytes")
