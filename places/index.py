"""In-memory district and city lookups for bulk work (imports of thousands of rows).

The same rule as District.objects.for_point(), vectorised with shapely: a point belongs to the
covering district with the lowest number, or, in a gap between the coarse polygons, to the nearest.
"""

import numpy as np
import shapely

from places.models import CityBoundary, District


class DistrictIndex:
    def __init__(self):
        districts = list(District.objects.order_by("number"))
        self.districts = districts
        self.shapes = [shapely.from_wkb(bytes(d.geom.wkb)) for d in districts]
        for shape in self.shapes:
            shapely.prepare(shape)
        city = CityBoundary.objects.first()
        self.city = shapely.from_wkb(bytes(city.geom.wkb)) if city else shapely.union_all(self.shapes)
        shapely.prepare(self.city)

    def inside_city(self, points) -> np.ndarray:
        return shapely.covers(self.city, np.asarray(points, dtype=object))

    def district_ids(self, points) -> list[int | None]:
        points = np.asarray(points, dtype=object)
        result = np.full(len(points), None, dtype=object)
        unassigned = np.ones(len(points), dtype=bool)
        for district, shape in zip(self.districts, self.shapes, strict=True):
            hit = unassigned & shapely.covers(shape, points)
            result[hit] = district.pk
            unassigned &= ~hit
        for i in np.flatnonzero(unassigned):
            if points[i] is None:
                continue
            distances = [shape.distance(points[i]) for shape in self.shapes]
            result[i] = self.districts[int(np.argmin(distances))].pk
        return result.tolist()
