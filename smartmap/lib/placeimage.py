"""The picture a shared page shows: a place on its district and the city outline, as a 1200×630 PNG.

Social networks fetch an ``og:image`` for every shared link. A screenshot of the map would need
base-map tiles from outside (and a browser); this draws only what the portal itself holds, with
Pillow: the city boundary, the ten district outlines, the place's district, and the place (a marker
for a point, a filled shape for an area). An inset in the corner shows the whole city, so a place
drawn at district scale can still be found in Tbilisi.

Framework-free: shapes come in as shapely geometries in lon/lat (EPSG:4326) and the result is PNG
bytes. Lon/lat are projected with a local equirectangular scale (x = lon·cos φ₀): over a city 30 km
across that is exact to a pixel and needs no PROJ. The picture is drawn at twice the size and
scaled down, since Pillow's polygons are not antialiased.

Bump ``VERSION`` when the drawing changes: cached pictures are keyed by it.
"""

import io
import math
from dataclasses import dataclass, field

import shapely
from PIL import Image, ImageDraw, ImageFont

VERSION = "1"
WIDTH, HEIGHT = 1200, 630
SCALE = 2  # drawn at 2x, then scaled down for smooth edges

PAPER = (244, 241, 234, 255)
CITY_FILL = (255, 255, 255, 255)
CITY_LINE = (120, 120, 120, 255)
DISTRICT_LINE = (190, 190, 190, 255)
HOME_FILL = (226, 234, 251, 255)
HOME_LINE = (43, 89, 195, 255)
PLACE = (214, 69, 65, 255)
PLACE_FILL = (214, 69, 65, 90)
BAND = (43, 89, 195, 255)
TINTS = [(43, 89, 195, 28), (43, 89, 195, 52), (43, 89, 195, 40)]
INSET_SIZE = (300, 220)


@dataclass
class Scene:
    """What one picture shows. ``place`` and ``district`` are empty for the portal's own picture."""

    city: shapely.Geometry | None
    districts: list[shapely.Geometry] = field(default_factory=list)
    district: shapely.Geometry | None = None
    place: shapely.Geometry | None = None


class _Frame:
    """Lon/lat → pixel for a box fitted (centred, aspect kept) into a width × height window."""

    def __init__(self, bounds, width, height, origin=(0, 0), pad=0.08):
        minx, miny, maxx, maxy = bounds
        self.k = math.cos(math.radians((miny + maxy) / 2))
        w, h = max((maxx - minx) * self.k, 1e-6), max(maxy - miny, 1e-6)
        self.scale = min(width / (w * (1 + 2 * pad)), height / (h * (1 + 2 * pad)))
        self.cx, self.cy = (minx + maxx) / 2 * self.k, (miny + maxy) / 2
        self.ox, self.oy = origin[0] + width / 2, origin[1] + height / 2

    def xy(self, coords):
        return [
            (self.ox + (x * self.k - self.cx) * self.scale, self.oy - (y - self.cy) * self.scale) for x, y, *_ in coords
        ]


def _polygons(geom):
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _lines(geom):
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type in ("LineString", "LinearRing"):
        return [geom]
    if hasattr(geom, "geoms"):
        return [line for g in geom.geoms for line in _lines(g)]
    return []


def _fill(draw, frame, geom, fill=None, outline=None, width=1):
    for polygon in _polygons(geom):
        draw.polygon(frame.xy(polygon.exterior.coords), fill=fill)
        for hole in polygon.interiors:
            draw.polygon(frame.xy(hole.coords), fill=PAPER if fill else None)
        if outline:
            for ring in (polygon.exterior, *polygon.interiors):
                draw.line(frame.xy(ring.coords), fill=outline, width=width, joint="curve")


def _mark(draw, frame, geom, radius, ring, s):
    """A point as a round marker; a line as a thick stroke; an area as a tinted, outlined shape."""
    if geom.geom_type in ("Point", "MultiPoint"):
        for point in getattr(geom, "geoms", [geom]):
            (x, y) = frame.xy([(point.x, point.y)])[0]
            draw.ellipse((x - radius - ring, y - radius - ring, x + radius + ring, y + radius + ring), fill=CITY_FILL)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=PLACE)
        return
    _fill(draw, frame, geom, fill=PLACE_FILL, outline=PLACE, width=5 * s)
    for line in _lines(geom):
        draw.line(frame.xy(line.coords), fill=PLACE, width=7 * s, joint="curve")


def _map(draw, frame, scene, s, detail=True, tint=False):
    if scene.city is not None:
        _fill(draw, frame, scene.city, fill=CITY_FILL)
    for i, district in enumerate(scene.districts if tint else []):
        _fill(draw, frame, district, fill=TINTS[i % len(TINTS)])  # the portal's picture: ten districts
    if scene.district is not None:
        _fill(draw, frame, scene.district, fill=HOME_FILL)
    for district in scene.districts:
        _fill(draw, frame, district, outline=DISTRICT_LINE, width=(2 if detail else 1) * s)
    if scene.city is not None:
        _fill(draw, frame, scene.city, outline=CITY_LINE, width=(3 if detail else 2) * s)
    if scene.district is not None:
        _fill(draw, frame, scene.district, outline=HOME_LINE, width=(5 if detail else 3) * s)


def _bounds(scene):
    shapes = [g for g in (scene.district, scene.place) if g is not None and not g.is_empty]
    if not shapes:
        shapes = [g for g in (scene.city, *scene.districts) if g is not None and not g.is_empty]
    if not shapes:
        return (44.6, 41.6, 45.0, 41.85)  # Tbilisi, should nothing be loaded
    return shapely.GeometryCollection(shapes).bounds


def _corner(image, box, place_box, s):
    """The top-left of the first corner where the inset card hides no part of the place."""
    w, h = box
    margin = 24 * s
    px0, py0, px1, py1 = place_box
    for x0, y0 in (
        (image.width - w - margin, margin),
        (margin, margin),
        (image.width - w - margin, image.height - h - margin - 14 * s),
        (margin, image.height - h - margin - 14 * s),
    ):
        if px1 < x0 - margin or px0 > x0 + w + margin or py1 < y0 - margin or py0 > y0 + h + margin:
            return x0, y0
    return None  # the place fills the picture: it needs no inset to be found


def _inset(image, scene, place_box, s):
    """The whole city in a card in a free corner, the place's district filled, the place a dot."""
    w, h = INSET_SIZE[0] * s, INSET_SIZE[1] * s
    corner = _corner(image, (w, h), place_box, s)
    if corner is None:
        return
    x0, y0 = corner
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rounded_rectangle((x0 - 2 * s, y0 - 2 * s, x0 + w + 2 * s, y0 + h + 2 * s), 12 * s, fill=(0, 0, 0, 40))
    draw.rounded_rectangle((x0, y0, x0 + w, y0 + h), 10 * s, fill=PAPER, outline=CITY_LINE, width=s)
    city = scene.city if scene.city is not None else (shapely.union_all(scene.districts) if scene.districts else None)
    frame = _Frame(city.bounds if city is not None else _bounds(scene), w, h, origin=(x0, y0), pad=0.06)
    _map(draw, frame, Scene(city=scene.city, districts=scene.districts, district=scene.district), s, detail=False)
    _mark(draw, frame, scene.place.centroid, 6 * s, 2 * s, s)


def _pixel_box(frame, geom, pad):
    minx, miny, maxx, maxy = geom.bounds
    (x0, y1), (x1, y0) = frame.xy([(minx, miny), (maxx, maxy)])
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def _caption(draw, lines, s):
    """The portal's name beside the city (only the portal's picture has words: they need a font)."""
    y = 230 * s
    for i, (line, font) in enumerate(lines):
        size = (40 if i == 0 else 34) * s
        face = ImageFont.truetype(font, size)
        draw.text((60 * s, y), line, font=face, fill=HOME_LINE if i == 0 else CITY_LINE)
        y += size + 26 * s


def draw(scene: Scene, caption: list[tuple[str, str]] | None = None) -> bytes:
    """The scene as PNG bytes, WIDTH × HEIGHT; ``caption`` lines (text, TrueType font path) to its left."""
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), PAPER[:3])  # RGB, so RGBA drawing blends
    draw_ = ImageDraw.Draw(image, "RGBA")
    band = 14 * s
    left = 580 * s if caption else 0
    frame = _Frame(_bounds(scene), WIDTH * s - left, HEIGHT * s - band, origin=(left, 0))
    _map(draw_, frame, scene, s, tint=scene.place is None and scene.district is None)
    if caption:
        _caption(draw_, caption, s)
    if scene.place is not None and not scene.place.is_empty:
        _mark(draw_, frame, scene.place, 20 * s, 6 * s, s)
        _inset(image, scene, _pixel_box(frame, scene.place, 26 * s), s)
    draw_.rectangle((0, HEIGHT * s - band, WIDTH * s, HEIGHT * s), fill=BAND)
    out = io.BytesIO()
    image.resize((WIDTH, HEIGHT), Image.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()
