"""Why a whole file landed outside Tbilisi, in one line a person can act on.

When not one row of a file is inside the city, listing thousands of "outside Tbilisi" rows tells
nobody anything. The usual causes are few, so each is tried on a sample of the file's raw
coordinates and the one that puts the rows in Tbilisi is named:

- latitude and longitude swapped (41.7, 44.8 instead of 44.8, 41.7);
- a missing or wrong CRS: the numbers read as EPSG:32638 (UTM 38N, what City Hall's GIS uses),
  EPSG:4326 (degrees) or EPSG:3857 (web Mercator);
- otherwise, another city's data: the file's centre and its distance from Tbilisi are given.
"""

import math

import numpy as np
import shapely
from pyproj import Transformer

from smartmap.lib.geofiles import parse_crs

CANDIDATES = ["EPSG:32638", "EPSG:4326", "EPSG:3857"]
SAMPLE = 500
TBILISI = (44.80, 41.72)  # lon, lat of the centre, for "N km away"


def diagnose(raw_points, index, mapping_crs: str | None) -> str:
    """One line: what no row inside the city most likely means."""
    sample = np.asarray(raw_points[:: max(1, len(raw_points) // SAMPLE)][:SAMPLE], dtype=float)
    total = len(raw_points)
    declared = _epsg(mapping_crs) or "EPSG:4326"
    lead = f"not one of the {total} located rows is inside Tbilisi"
    if _share(index, _to_wgs84(sample[:, ::-1], declared)) >= 0.5:
        return (
            f"{lead}, but with latitude and longitude swapped they are: the lat and lon columns are the wrong way round"
        )
    for crs in CANDIDATES:
        if crs != declared and _share(index, _to_wgs84(sample, crs)) >= 0.5:
            name = parse_crs(crs).name
            if mapping_crs:
                return f"{lead}, but read as {crs} ({name}) they are: the mapping's crs {mapping_crs} is wrong"
            return f'{lead}, but read as {crs} ({name}) they are: add crs: "{crs}" to the mapping'
    lon, lat = _to_wgs84(sample, declared).mean(axis=0) if len(sample) else (math.nan, math.nan)
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return f"{lead}, and no usual reading (swapped, {', '.join(CANDIDATES)}) places them there"
    return (
        f"{lead}: the locations centre on {lat:.4f}, {lon:.4f}, {_km(lon, lat):,.0f} km from Tbilisi "
        f"(swapped coordinates and {', '.join(CANDIDATES)} do not place them there either): is this another "
        "city's register?"
    )


def _to_wgs84(xy: np.ndarray, crs: str) -> np.ndarray:
    if len(xy) == 0 or crs == "EPSG:4326":
        return xy
    x, y = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _share(index, lonlat: np.ndarray) -> float:
    finite = lonlat[np.isfinite(lonlat).all(axis=1)] if len(lonlat) else lonlat
    if len(finite) == 0:
        return 0.0
    return float(np.mean(index.inside_city(shapely.points(finite))))


def _epsg(crs: str | None) -> str | None:
    if not crs:
        return None
    code = parse_crs(crs).to_epsg()
    return f"EPSG:{code}" if code else str(crs)


def _km(lon: float, lat: float) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (lon, lat, *TBILISI))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(a)))
