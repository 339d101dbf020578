"""The territory of a statistical question: the city, a district, a sub-district, a drawn area, or one of my areas.

Two kinds of territory are counted differently, on purpose:

- The city and a district are what items are *filed under*: every public item counts for the city,
  and an item counts for the district it was filed under (its ``district_id``, the same one the map's
  district filter and the routing of reports use). These are answered from the grid's level 0 alone.
- A sub-district, a drawn area and a subscription's area are *shapes*: an item counts when its
  representative point lies in the shape (ST_Covers: a point on the border counts). These are
  answered from the grid cells wholly inside the shape and from the items along its edge.

A territory is written in a question as ``city``, ``district:<number or code>``, ``subdistrict:<number>``,
``area`` (with the shape as GeoJSON in the ``area`` parameter) or ``subscription:<id>`` (only the
signed-in owner may use it).
"""

from dataclasses import dataclass
from functools import cached_property

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from places.areas import URL_VERTICES, drawn_area
from places.models import District, SubDistrict
from smartmap.lib import cells


@dataclass
class Territory:
    code: str  # as written in the question ("district:vake")
    label: str
    district_id: int | None = None
    geom: GEOSGeometry | None = None

    @property
    def is_city(self) -> bool:
        return self.district_id is None and self.geom is None

    @property
    def shape(self):
        return shapely.from_wkb(bytes(self.geom.wkb))

    @cached_property
    def cover(self) -> cells.Cover:
        """The grid cells inside the shape and along its edge, computed once per question."""
        return cells.cover(self.shape)


def parse_territory(raw: str | None, area: str | None, user=None) -> Territory:
    """A Territory from its written form; ValueError with a sentence for a person."""
    raw = (raw or "city").strip().lower()
    kind, _sep, value = raw.partition(":")
    if kind == "city" and not value:
        return Territory("city", _("all of Tbilisi"))
    if kind == "district" and value:
        return _district(value)
    if kind == "subdistrict" and value:
        return _subdistrict(value)
    if kind == "area" and not value:
        if not area:
            raise ValueError(_("draw an area on the map, or choose another territory"))
        # The area travels in the permalink's query string, hence the URL's vertex limit.
        geom = drawn_area(area, max_vertices=URL_VERTICES)
        return Territory("area", _("the drawn area"), geom=geom)
    if kind == "subscription" and value:
        return _subscription(value, user)
    raise ValueError(
        _("unknown territory “%(raw)s”: use city, district:CODE, subdistrict:NUMBER, area or subscription:ID")
        % {"raw": raw}
    )


def _district(value: str) -> Territory:
    district = District.objects.filter(**({"number": value} if value.isdigit() else {"slug": value})).first()
    if district is None:
        raise ValueError(_("there is no district %(district)s") % {"district": value})
    return Territory(f"district:{district.slug}", district.name, district_id=district.pk)


def _subdistrict(value: str) -> Territory:
    sub = SubDistrict.objects.filter(number=value).select_related("district").first() if value.isdigit() else None
    if sub is None:
        raise ValueError(_("there is no sub-district %(number)s") % {"number": value})
    return Territory(f"subdistrict:{sub.number}", sub.name, geom=sub.geom)


def _subscription(value: str, user) -> Territory:
    from subscriptions.models import Subscription

    sub = None
    if value.isdigit() and user is not None and user.is_authenticated:
        sub = Subscription.objects.filter(pk=value, user=user, unsubscribed_at__isnull=True).first()
    if sub is None:
        raise ValueError(_("you have no subscription area %(id)s (sign in to use your areas)") % {"id": value})
    label = sub.name or sub.get_area_kind_display()
    if sub.area_kind == Subscription.Area.CITY:
        return Territory(f"subscription:{sub.pk}", label)
    if sub.area_kind == Subscription.Area.DISTRICT:
        return Territory(f"subscription:{sub.pk}", label, district_id=sub.district_id)
    if sub.geom is None:
        raise ValueError(_("subscription %(id)s follows one item, not an area") % {"id": value})
    return Territory(f"subscription:{sub.pk}", label, geom=sub.geom)


def territory_choices() -> list[tuple[str, str]]:
    """(code, label) of every named territory, for the question builder."""
    choices = [("city", _("all of Tbilisi"))]
    choices += [(f"district:{d.slug}", d.name) for d in District.objects.all()]
    choices += [(f"subdistrict:{s.number}", s.name) for s in SubDistrict.objects.select_related("district")]
    return choices
