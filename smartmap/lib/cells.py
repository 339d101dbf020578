"""Map cells and the cover of an area by them: which cells lie wholly inside, which along its edge.

A cell is a square of the spherical-mercator grid at a level L: the world is 2**L cells across,
cell (cx, cy) holding the points whose mercator position (x eastwards, y southwards, both in
[0, 1)) has floor(x * 2**L) = cx and floor(y * 2**L) = cy. The arithmetic is the same as the SQL
functions layers_merc_x/layers_merc_y (layers migration 0003), so a point is filed under the same
cell here, in the triggers and in any query.

``cover(shape)`` answers "which cells make up this area": cells wholly covered by the area, as
coarse as possible (LEVELS, coarsest first), and the finest-level cells its boundary runs through.
The statistics engine sums precomputed counts for the first and tests the items of the second one
by one, so an answer is exact whatever the shape. Both tests use the cell's box grown by EPSILON
degrees: a cell is called "inside" only when even its grown box is covered (so floating-point error
at a cell's border can never put an outside point in an inside cell), and a cell is dropped only
when its grown box misses the area entirely.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

LEVELS = (12, 14, 16, 18)  # about 7.3 km, 1.8 km, 460 m and 115 m across at Tbilisi's latitude
FINEST = LEVELS[-1]
EPSILON = 1e-9  # degrees (0.1 mm): far below any real distance, far above float error
MAX_LAT = 85.0511287798


def merc_x(lon: float) -> float:
    return min(lon + 180.0, 359.9999999999) / 360.0


def merc_y(lat: float) -> float:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    return min(0.9999999999, max(0.0, 0.5 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)))


def cell_of(lon: float, lat: float, level: int) -> tuple[int, int]:
    n = 2**level
    return math.floor(merc_x(lon) * n), math.floor(merc_y(lat) * n)


def cell_bounds(level: int, cx, cy):
    """(west, south, east, north) in degrees of cells (scalars or numpy arrays), unpadded."""
    n = 2.0**level
    cx, cy = np.asarray(cx, dtype=float), np.asarray(cy, dtype=float)
    west, east = cx / n * 360.0 - 180.0, (cx + 1) / n * 360.0 - 180.0
    north = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * cy / n))))
    south = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * (cy + 1) / n))))
    return west, south, east, north


@dataclass
class Cover:
    inside: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # level -> cells
    edge: list[tuple[int, int]] = field(default_factory=list)  # cells at FINEST

    def inside_arrays(self) -> tuple[list[int], list[int], list[int]]:
        levels, xs, ys = [], [], []
        for level, cells in self.inside.items():
            for cx, cy in cells:
                levels.append(level)
                xs.append(cx)
                ys.append(cy)
        return levels, xs, ys

    def edge_boxes(self) -> list[tuple[int, int, float, float, float, float]]:
        """(cx, cy, west, south, east, north) of the edge cells, grown by EPSILON for index probes."""
        if not self.edge:
            return []
        cx, cy = np.array([c[0] for c in self.edge]), np.array([c[1] for c in self.edge])
        west, south, east, north = cell_bounds(FINEST, cx, cy)
        return [
            (int(x), int(y), float(w) - EPSILON, float(s) - EPSILON, float(e) + EPSILON, float(n) + EPSILON)
            for x, y, w, s, e, n in zip(cx, cy, west, south, east, north, strict=True)
        ]


def cover(shape) -> Cover:
    """The cells of LEVELS wholly inside `shape` (a shapely area in EPSG:4326) and the FINEST edge cells."""
    shapely.prepare(shape)
    result = Cover()
    minx, miny, maxx, maxy = shape.bounds
    level = LEVELS[0]
    x0, y0 = cell_of(minx, maxy, level)
    x1, y1 = cell_of(maxx, miny, level)
    gx, gy = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
    cx, cy = gx.ravel(), gy.ravel()
    for index, level in enumerate(LEVELS):
        if cx.size == 0:
            break
        west, south, east, north = cell_bounds(level, cx, cy)
        grown = shapely.box(west - EPSILON, south - EPSILON, east + EPSILON, north + EPSILON)
        covered = shapely.covers(shape, grown)
        touched = ~covered & shapely.intersects(shape, grown)
        if covered.any():
            result.inside[level] = list(zip(cx[covered].tolist(), cy[covered].tolist(), strict=True))
        cx, cy = cx[touched], cy[touched]
        if index + 1 == len(LEVELS):
            result.edge = list(zip(cx.tolist(), cy.tolist(), strict=True))
        else:
            cx, cy = _children(cx, cy, LEVELS[index + 1] - level)
    return result


def _children(cx, cy, steps: int):
    """Every cell `steps` levels finer inside the given cells."""
    k = 2**steps
    offsets = np.arange(k)
    ox, oy = np.meshgrid(offsets, offsets)
    children_x = (cx[:, None] * k + ox.ravel()[None, :]).ravel()
    children_y = (cy[:, None] * k + oy.ravel()[None, :]).ravel()
    return children_x, children_y
