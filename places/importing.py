"""The boundary import core: districts and the city outline from any file, in any CRS.

Districts are repaired (MakeValid) and made into a partition: where two neighbours overlap, the
district with the lower number keeps the overlap, so the result does not depend on file order.

No district file follows the city outline exactly (OpenStreetMap's leaves about 0.5 km² of slivers
along the edge in no district), so once both are known the slivers are filled: each piece of the
city outside every district goes to the district it shares the longest border with (then the
nearest, then the lower number), which is what a surveyor drawing the line would most likely do.
Then every point of the city lies in exactly one district, and filling again changes nothing.

Each district keeps its source, attribution and licence (BoundarySource), so whoever shows or
exports it can credit it as its licence requires. Nothing is written unless the caller commits,
and then in one transaction.
"""

from dataclasses import dataclass

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.utils.text import slugify

from places.models import CityBoundary, CityBoundaryPart, District, SubDistrict
from smartmap.lib.coordinates import within_extent
from smartmap.lib.geofiles import GeoFileError, looks_geographic, polygonal, read_vector_file

NUMBER_FIELDS = ["District", "district", "number", "NUMBER", "num", "code", "id"]
NAME_KA_FIELDS = ["Ka_Name", "name_ka", "NAME_KA", "ka_name", "name"]
NAME_EN_FIELDS = ["En_Name", "name_en", "NAME_EN", "en_name", "name"]


@dataclass
class DistrictRow:
    number: int
    name_ka: str
    name_en: str
    geom: shapely.MultiPolygon


@dataclass(frozen=True)
class BoundarySource:
    name: str = ""  # e.g. the file's name
    attribution: str = ""  # what must be shown beside the data: "© OpenStreetMap contributors"
    licence: str = ""  # e.g. "ODbL-1.0"


@dataclass(frozen=True)
class Filled:
    pieces: int = 0
    area_km2: float = 0.0


SLIVER_TOLERANCE = 1e-6  # degrees (~0.1 m): a sliver "borders" a district closer than this


def _pick(columns, wanted: str | None, candidates: list[str], what: str) -> str:
    if wanted:
        if wanted not in columns:
            raise GeoFileError(f"the file has no field {wanted!r} for the {what}; fields: {', '.join(columns)}")
        return wanted
    for name in candidates:
        if name in columns:
            return name
    raise GeoFileError(f"cannot tell which field holds the {what}; name it (fields: {', '.join(columns)})")


def _read_polygons(path, *, layer=None, srid=None):
    frame = read_vector_file(path, layer=layer, source_crs=srid)
    if not looks_geographic(frame) or not within_extent(*frame.total_bounds):
        raise GeoFileError("the geometries are not in Tbilisi: wrong file, or a wrong --srid")
    frame["geometry"] = [polygonal(g) for g in frame.geometry]
    if frame.geometry.isna().any():
        rows = [str(i + 1) for i in frame.index[frame.geometry.isna()]]
        raise GeoFileError(f"features {', '.join(rows[:10])} have no polygon geometry")
    return frame


def read_districts(path, *, layer=None, srid=None, number_field=None, name_ka_field=None, name_en_field=None):
    frame = _read_polygons(path, layer=layer, srid=srid)
    columns = [c for c in frame.columns if c != "geometry"]
    number_col = _pick(columns, number_field, NUMBER_FIELDS, "district number")
    ka_col = _pick(columns, name_ka_field, NAME_KA_FIELDS, "Georgian name")
    en_col = _pick(columns, name_en_field, NAME_EN_FIELDS, "English name")
    rows = []
    for index, record in frame.iterrows():
        try:
            number = int(record[number_col])
        except (TypeError, ValueError):
            raise GeoFileError(f"feature {index + 1}: district number {record[number_col]!r} is not a number") from None
        rows.append(DistrictRow(number, str(record[ka_col]).strip(), str(record[en_col]).strip(), record.geometry))
    numbers = [r.number for r in rows]
    if len(set(numbers)) != len(numbers):
        raise GeoFileError("district numbers repeat; each district must appear once")
    return partition(rows)


def partition(rows: list[DistrictRow]) -> list[DistrictRow]:
    """Remove overlaps deterministically: the lower district number keeps the shared area."""
    taken = None
    result = []
    for row in sorted(rows, key=lambda r: r.number):
        geom = row.geom if taken is None else polygonal(row.geom.difference(taken))
        if geom is None:
            raise GeoFileError(f"district {row.number} lies entirely inside other districts")
        result.append(DistrictRow(row.number, row.name_ka, row.name_en, geom))
        taken = row.geom if taken is None else shapely.union(taken, row.geom)
    return result


def fill_gaps(rows: list[DistrictRow], city) -> tuple[list[DistrictRow], Filled]:
    """The districts with every piece of `city` that none of them covers added to its neighbour."""
    gap = polygonal(city.difference(shapely.union_all([r.geom for r in rows])))
    if gap is None:
        return rows, Filled()
    shapes = [r.geom for r in rows]
    near = [shapely.buffer(shape, SLIVER_TOLERANCE) for shape in shapes]
    tree = shapely.STRtree(near)
    added = {i: [] for i in range(len(rows))}
    for piece in gap.geoms:
        added[_owner(piece, rows, shapes, near, tree)].append(piece)
    filled = [
        DistrictRow(r.number, r.name_ka, r.name_en, polygonal(shapely.union_all([r.geom, *added[i]])))
        for i, r in enumerate(rows)
    ]
    return filled, Filled(len(gap.geoms), _km2(gap))


def _owner(piece, rows, shapes, near, tree) -> int:
    """The index of the district that gets `piece`: longest shared border, then nearest, then number."""
    candidates = tree.query(piece)
    if not len(candidates):  # a piece bordering no district: the nearest one takes it
        candidates = range(len(rows))
    border = piece.boundary

    def rank(i):
        return (-border.intersection(near[i]).length, shapes[i].distance(piece), rows[i].number)

    return min(candidates, key=rank)


def _km2(geom) -> float:
    # Area on the spheroid (pyproj's geodesic): degrees are never treated as metres.
    from pyproj import Geod

    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


def _geos(geom) -> GEOSGeometry:
    return GEOSGeometry(memoryview(geom.wkb), srid=4326)


def save_districts(rows: list[DistrictRow], source: BoundarySource | None = None) -> dict:
    """Write the districts (by number); `source` None keeps each stored district's own."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for row in rows:
            geom = _geos(row.geom)
            values = {"name_ka": row.name_ka, "name_en": row.name_en, "slug": slugify(row.name_en) or str(row.number)}
            if source is not None:
                values.update(source=source.name, attribution=source.attribution, licence=source.licence)
            district = District.objects.filter(number=row.number).first()
            if district is None:
                district = District.objects.create(number=row.number, geom=geom, **values)
                counts["created"] += 1
            elif district.geom.equals_exact(geom, 1e-9) and all(getattr(district, k) == v for k, v in values.items()):
                counts["unchanged"] += 1
                continue
            else:
                for key, value in values.items():
                    setattr(district, key, value)
                district.geom = geom
                district.save()
                counts["updated"] += 1
            _store_area(District, district.pk)
    return counts


def _store_area(model, pk):
    # Areas on the spheroid (geography cast): degrees are never treated as metres.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET area_km2 = ST_Area(geom::geography) / 1e6 WHERE id = %s", [pk]
        )


def fill_against_stored_city(rows: list[DistrictRow]) -> tuple[list[DistrictRow], Filled]:
    """Fill a complete set of districts out to the stored city. A file that replaces only some of
    the stored districts is left as it is: the slivers' owners are decided when all are known."""
    city = stored_city()
    stored = set(District.objects.values_list("number", flat=True))
    if city is None or not stored <= {r.number for r in rows}:
        return rows, Filled()
    return fill_gaps(rows, city)


def stored_city():
    """The stored city outline as a shapely geometry, or None."""
    city = CityBoundary.objects.first()
    return shapely.from_wkb(bytes(city.geom.wkb)) if city else None


def stored_districts() -> list[DistrictRow]:
    return [
        DistrictRow(d.number, d.name_ka, d.name_en, shapely.from_wkb(bytes(d.geom.wkb)))
        for d in District.objects.order_by("number")
    ]


def read_city(path, *, layer=None, srid=None) -> shapely.MultiPolygon:
    frame = _read_polygons(path, layer=layer, srid=srid)
    return polygonal(shapely.union_all(list(frame.geometry)))


def save_city(geom: shapely.MultiPolygon) -> dict:
    """Write the city outline; the stored districts are then filled out to it (see fill_gaps)."""
    with transaction.atomic():
        existing = CityBoundary.objects.first()
        if existing is not None and existing.geom.equals_exact(_geos(geom), 1e-9):
            return {"created": 0, "updated": 0, "unchanged": 1, "slivers": 0}
        CityBoundary.objects.all().delete()
        city = CityBoundary.objects.create(geom=_geos(geom))
        _store_area(CityBoundary, city.pk)
        with connection.cursor() as cursor:
            # ST_Subdivide: small pieces make point-in-city checks fast through the GiST index.
            cursor.execute(
                f"INSERT INTO {CityBoundaryPart._meta.db_table} (city_id, geom) "
                f"SELECT id, ST_Subdivide(geom, 255) FROM {CityBoundary._meta.db_table} WHERE id = %s",
                [city.pk],
            )
        rows, filled = fill_gaps(stored_districts(), geom) if District.objects.exists() else ([], Filled())
        if filled.pieces:
            save_districts(rows)
    return {"created": 0 if existing else 1, "updated": 1 if existing else 0, "unchanged": 0, "slivers": filled.pieces}


SUBDISTRICT_NUMBER_FIELDS = ["majoritari", "number", "NUMBER"]
SUBDISTRICT_CODE_FIELDS = ["DisMajID", "code"]
SUBDISTRICT_PARENT_FIELDS = ["electoral_", "district"]


@dataclass
class SubDistrictRow:
    number: int
    code: str
    district_number: int | None
    geom: shapely.MultiPolygon


def read_subdistricts(path, *, layer=None, srid=None) -> list[SubDistrictRow]:
    """The 25 majoritarian districts (number, code such as "01.01", the district they lie in)."""
    frame = _read_polygons(path, layer=layer, srid=srid)
    columns = [c for c in frame.columns if c != "geometry"]
    number_col = _pick(columns, None, SUBDISTRICT_NUMBER_FIELDS, "sub-district number")
    code_col = _pick(columns, None, SUBDISTRICT_CODE_FIELDS, "sub-district code")
    parent_col = _pick(columns, None, SUBDISTRICT_PARENT_FIELDS, "district number")
    rows = []
    for index, record in frame.iterrows():
        try:
            number, parent = int(record[number_col]), int(record[parent_col])
        except (TypeError, ValueError):
            raise GeoFileError(f"feature {index + 1}: {record[number_col]!r} is not a sub-district number") from None
        rows.append(SubDistrictRow(number, str(record[code_col]).strip(), parent, record.geometry))
    if len({r.number for r in rows}) != len(rows):
        raise GeoFileError("sub-district numbers repeat; each sub-district must appear once")
    return rows


def save_subdistricts(rows: list[SubDistrictRow]) -> dict:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    districts = {d.number: d for d in District.objects.all()}
    with transaction.atomic():
        for row in rows:
            values = {"code": row.code, "district": districts.get(row.district_number), "geom": _geos(row.geom)}
            existing = SubDistrict.objects.filter(number=row.number).first()
            if existing and existing.geom.equals_exact(values["geom"], 1e-9) and existing.code == row.code:
                counts["unchanged"] += 1
                continue
            sub, created = SubDistrict.objects.update_or_create(number=row.number, defaults=values)
            counts["created" if created else "updated"] += 1
            _store_area(SubDistrict, sub.pk)
    return counts
