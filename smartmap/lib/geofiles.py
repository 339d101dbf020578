"""Read any vector file (GeoJSON, Shapefile, GeoPackage, ...) in any CRS into EPSG:4326.

Framework-free: used by every importer. All failures surface as ``GeoFileError`` with a one-line
reason a person can act on, never a GDAL traceback.
"""

from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from smartmap.lib.coordinates import lonlat

STORAGE_SRID = 4326


class GeoFileError(Exception):
    """The file cannot be used; the message says why in one line."""


def parse_crs(value) -> CRS:
    try:
        return CRS.from_user_input(value)
    except (CRSError, TypeError, ValueError):
        raise GeoFileError(f"unknown coordinate reference system: {value!r}") from None


def read_vector_file(
    path, *, layer: str | None = None, source_crs=None, allow_empty_geometries: bool = False
) -> gpd.GeoDataFrame:
    """Read ``path`` and return it reprojected to EPSG:4326.

    ``source_crs`` is used only when the file declares no CRS of its own (a bare Shapefile without
    .prj, say); a file whose CRS cannot be read is refused rather than guessed.
    """
    path = Path(path)
    if not path.exists():
        raise GeoFileError(f"no such file: {path}")
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except pyogrio.errors.DataLayerError as exc:
        where = f"layer {layer!r} of {path.name}" if layer else path.name
        raise GeoFileError(f"{where} could not be read: {_first_line(exc)}") from None
    except (pyogrio.errors.DataSourceError, pyogrio.errors.FieldError, ValueError) as exc:
        raise GeoFileError(f"{path.name} is not a readable geographic file: {_first_line(exc)}") from None
    except Exception as exc:  # GDAL raises a zoo of errors for broken files; one line for all.
        raise GeoFileError(f"{path.name} could not be read: {_first_line(exc)}") from None
    if len(frame) == 0 or "geometry" not in frame:
        raise GeoFileError(f"{path.name} contains no features")
    if frame.geometry.isna().all() and not allow_empty_geometries:
        raise GeoFileError(f"{path.name} contains no geometries")
    if frame.crs is None and not frame.geometry.isna().all():
        if source_crs is None:
            raise GeoFileError(
                f"{path.name} does not say which coordinate reference system it uses; "
                "give it with --srid (e.g. --srid 32638)"
            )
        frame = frame.set_crs(parse_crs(source_crs))
    if frame.crs is None:
        return frame
    try:
        # Reproject at the edge: everything inside the project is EPSG:4326.
        frame = frame.to_crs(epsg=STORAGE_SRID)
    except Exception as exc:
        raise GeoFileError(f"cannot transform {path.name} from {frame.crs}: {_first_line(exc)}") from None
    return frame


def polygonal(geom):
    """Repair ``geom`` (MakeValid) and keep only its polygon parts, as a MultiPolygon or None."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    polygons = []
    for part in parts:
        polygons.extend(part.geoms if part.geom_type == "MultiPolygon" else [part])
    polygons = [p for p in polygons if not p.is_empty and p.area > 0]
    if not polygons:
        return None
    return shapely.MultiPolygon(polygons)


def looks_geographic(frame: gpd.GeoDataFrame) -> bool:
    """After reprojection to EPSG:4326, are the coordinates plausible longitudes and latitudes?"""
    minx, miny, maxx, maxy = frame.total_bounds
    try:
        lonlat(minx, miny)
        lonlat(maxx, maxy)
    except ValueError:
        return False
    return True


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0][:300]
