"""Tbilisi's districts and city boundary: the geography every map item is filed under.

Geometry is stored in EPSG:4326. District files overlap their neighbours a little and do not follow
the city outline exactly, so the importer makes them a partition (overlaps go to the lower district
number) and gives each sliver of the city that no district covers to the district it borders most
(places.importing). Together: every point inside the city belongs to exactly one district;
``District.objects.for_point()`` still files a point beyond every polygon under the nearest one.

Each district keeps its source and the attribution its licence asks for (OpenStreetMap's ODbL:
"© OpenStreetMap contributors"), shown wherever the districts are drawn or exported.
"""

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DistrictQuerySet(models.QuerySet):
    def attributions(self) -> list[str]:
        """What must be shown beside these districts, each once: "© OpenStreetMap contributors"."""
        values = self.exclude(attribution="").order_by().values_list("attribution", flat=True).distinct()
        return sorted(values)

    def licences(self) -> list[str]:
        return sorted(self.exclude(licence="").order_by().values_list("licence", flat=True).distinct())

    def for_point(self, point):
        """The one district holding ``point``: the covering polygon, or the nearest one."""
        covering = self.filter(geom__covers=point).order_by("number").first()
        if covering is not None:
            return covering
        # Gaps between the coarse district polygons: nearest district, ties by number.
        return self.annotate(d=Distance("geom", point)).order_by("d", "number").first()


class District(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("code"), unique=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    area_km2 = models.FloatField(_("area, km²"), default=0)
    # Where the boundary comes from, and what its licence asks us to show beside it.
    source = models.CharField(_("source"), max_length=200, blank=True)
    attribution = models.CharField(_("attribution"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=50, blank=True)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ka


class CityBoundaryQuerySet(models.QuerySet):
    """The one home of "is it in Tbilisi?": every check of a place against the city is one of these.

    Without a loaded city outline the districts stand in for it. Points and small shapes are
    tested against the subdivided parts (CityBoundaryPart), for speed; places.index.DistrictIndex
    is the same test in memory, for imports of thousands of rows.
    """

    def covers(self, geom) -> bool:
        """The city covers ``geom`` entirely (a reported point, a circle's centre)."""
        if not self.exists():
            return District.objects.filter(geom__covers=geom).exists()
        if geom.geom_type == "Point":
            return CityBoundaryPart.objects.filter(geom__covers=geom).exists()
        return self.filter(geom__covers=geom).exists()

    def touches(self, geom) -> bool:
        """``geom`` has any part in the city (an area to count items in)."""
        if not self.exists():
            return District.objects.filter(geom__intersects=geom).exists()
        return CityBoundaryPart.objects.filter(geom__intersects=geom).exists()

    def share_covered(self, geom) -> float:
        """The share of ``geom``'s area that lies in the city, 0 to 1 (an area to subscribe to)."""
        parts = CityBoundaryPart if self.exists() else District
        with connection.cursor() as cursor:
            # Planar areas of 4326 shapes: only their ratio is used, and both are in the same units.
            cursor.execute(
                f"""WITH a AS (SELECT ST_GeomFromEWKB(%(g)s) AS g)
                SELECT COALESCE((SELECT SUM(ST_Area(ST_Intersection(p.geom, a.g)))
                                 FROM {parts._meta.db_table} p WHERE ST_Intersects(p.geom, a.g)), 0)
                       / NULLIF(ST_Area(a.g), 0)
                FROM a""",
                {"g": bytes(geom.ewkb)},
            )
            return cursor.fetchone()[0] or 0.0


class CityBoundary(models.Model):
    name_ka = models.CharField(max_length=100, default="თბილისი")
    name_en = models.CharField(max_length=100, default="Tbilisi")
    geom = models.MultiPolygonField(srid=4326)
    area_km2 = models.FloatField(default=0)

    objects = CityBoundaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("city boundary")
        verbose_name_plural = _("city boundary")

    def __str__(self):
        return self.name_en


class CityBoundaryPart(models.Model):
    """The city boundary cut by ST_Subdivide into pieces of at most 255 vertices.

    The real boundary has 36,000 vertices; a point-in-polygon test against small pieces found
    through the GiST index is orders of magnitude faster than against the whole outline.
    """

    city = models.ForeignKey(CityBoundary, on_delete=models.CASCADE, related_name="parts")
    geom = models.PolygonField(srid=4326)


class SubDistrict(models.Model):
    """One of the 25 majoritarian election districts of 2017: a finer territory level for statistics.

    They nest in the ten districts (``district``); their boundaries are the election commission's,
    not the districts', so a statistic by sub-district counts the items whose point lies inside the
    polygon, not the items filed under a district.
    """

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    code = models.CharField(_("code"), max_length=10, unique=True)
    district = models.ForeignKey(District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    area_km2 = models.FloatField(_("area, km²"), default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        district = self.district.name if self.district_id else ""
        label = _("election district no. %(number)d") % {"number": self.number}
        return f"{label} ({district})" if district else label
