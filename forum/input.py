"""The thread and post forms, parsed strictly: every problem is a ForumInputError with a sentence.

Views call these before any write, so a refused form stores nothing. Links to map items arrive as
"layer:id" (the hidden field "Discuss this" fills in) or as the address of an item, project, report
or thread page on this site, pasted by the author; each must name something that exists and is
public. A place is a district chosen from a list (no JavaScript needed), or a point or area drawn on
the map (GeoJSON from the page script), inside Tbilisi.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.contrib.gis.geos import GEOSGeometry, Point
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from forum.models import Section, Thread
from forum.text import TextError, clean_body, clean_title
from layers.registry import get_layer
from places.areas import URL_VERTICES, AreaError, drawn_area
from places.models import CityBoundary, District
from smartmap.lib.coordinates import lonlat
from smartmap.lib.jsonbody import read_json

MAX_ITEMS = 10
MAX_RELATED = 10
_TOKEN = re.compile(r"^([a-z0-9-]{1,40}):(\d{1,12})$")
_LANG_PATH = re.compile(r"^/(ka|en)(/.*)$")


class ForumInputError(ValueError):
    def __init__(self, field_name: str, message: str, status: int = 400):
        super().__init__(message)
        self.field, self.message, self.status = field_name, message, status


@dataclass
class Place:
    kind: str = ""
    geom: GEOSGeometry | None = None
    district: District | None = None


@dataclass
class ThreadInput:
    section: Section
    title: str
    body: str
    place: Place = field(default_factory=Place)
    items: list[tuple[str, int]] = field(default_factory=list)
    related: list[Thread] = field(default_factory=list)


def _text(parse, value, field_name):
    try:
        return parse(value)
    except TextError as exc:
        raise ForumInputError(field_name, str(exc)) from None


def parse_thread(data) -> ThreadInput:
    section = Section.objects.filter(slug=str(data.get("section", "")), active=True).first()
    if section is None:
        raise ForumInputError("section", _("Please choose a section."))
    title = _text(clean_title, data.get("title"), "title")
    body = _text(clean_body, data.get("body"), "body")
    place = parse_place(data)
    items, related = parse_links(
        data.getlist("items") if hasattr(data, "getlist") else data.get("items", []), str(data.get("links", ""))
    )
    return ThreadInput(section=section, title=title, body=body, place=place, items=items, related=related)


def parse_body(data) -> str:
    return _text(clean_body, data.get("body"), "body")


def parse_place(data) -> Place:
    kind = str(data.get("place_kind", "") or "")
    if kind == "":
        return Place()
    if kind == "district":
        district = District.objects.filter(slug=str(data.get("district", ""))).first()
        if district is None:
            raise ForumInputError("district", _("Please choose one of Tbilisi's districts."))
        return Place(kind, district.geom, district)
    if kind not in ("point", "area"):
        raise ForumInputError("place_kind", _("Unknown kind of place."))
    raw = str(data.get("place", "") or "")
    if not raw:
        raise ForumInputError("place", _("Draw the place on the map, or choose a district instead."))
    geom = _point(raw) if kind == "point" else _area(raw)
    return Place(kind, geom, District.objects.for_point(geom if kind == "point" else geom.point_on_surface))


def _point(raw: str) -> Point:
    try:
        value = read_json(raw)  # depth-limited: never a RecursionError
        if value.get("type") != "Point":
            raise ValueError
        point = Point(*lonlat(*value["coordinates"]), srid=4326)
    except (ValueError, TypeError, KeyError):
        raise ForumInputError("place", _("The place must be a point: longitude and latitude.")) from None
    if not CityBoundary.objects.covers(point):
        raise ForumInputError("place", _("The place is outside Tbilisi."))
    return point


def _area(raw: str) -> GEOSGeometry:
    try:
        return drawn_area(raw, max_vertices=URL_VERTICES)
    except AreaError as exc:
        raise ForumInputError("place", str(exc)) from None


def parse_links(tokens, pasted: str) -> tuple[list[tuple[str, int]], list[Thread]]:
    items: list[tuple[str, int]] = []
    related: list[Thread] = []
    for value in [*tokens, *pasted.split()]:
        value = str(value).strip()
        if not value:
            continue
        kind, target = _link_target(value)
        if kind == "thread":
            if target not in related:
                related.append(target)
        elif target not in items:
            items.append(target)
    if len(items) > MAX_ITEMS:
        raise ForumInputError("links", _("At most %(max)d map items can be linked.") % {"max": MAX_ITEMS})
    if len(related) > MAX_RELATED:
        raise ForumInputError("links", _("At most %(max)d other discussions can be linked.") % {"max": MAX_RELATED})
    return items, related


def _link_target(value: str):
    match = _TOKEN.match(value)
    if match:
        return "item", _existing_item(match.group(1), int(match.group(2)), value)
    path = urlparse(value).path
    lang = _LANG_PATH.match(path)
    try:
        with translation.override(lang.group(1) if lang else translation.get_language()):
            found = resolve(path if lang else f"/{translation.get_language()}{path}")
    except Resolver404:
        raise _missing(value) from None
    return _from_resolved(found, value)


def _from_resolved(found, value):
    name, kwargs = found.view_name, found.kwargs
    if name == "forum:thread":
        thread = Thread.objects.public().filter(pk=kwargs["pk"]).first()
        if thread is None:
            raise _missing(value)
        return "thread", thread
    if name == "layers:item":
        return "item", _existing_item(kwargs["layer"], kwargs["pk"], value)
    if name == "layers:project":
        return "item", _by_field("projects", "slug", kwargs["slug"], value)
    if name == "fixtracker:report":
        return "item", _by_field("reports", "reference", kwargs["reference"], value)
    raise _missing(value)


def _existing_item(slug: str, pk: int, value: str) -> tuple[str, int]:
    layer = get_layer(slug)
    if layer is None or slug == Thread.LAYER or not layer.model.objects.public().filter(pk=pk).exists():
        raise _missing(value)
    return slug, pk


def _by_field(slug: str, column: str, key: str, value: str) -> tuple[str, int]:
    layer = get_layer(slug)
    pk = layer.model.objects.public().filter(**{column: key}).values_list("pk", flat=True).first() if layer else None
    if pk is None:
        raise _missing(value)
    return slug, pk


def _missing(value: str) -> ForumInputError:
    return ForumInputError("links", _("“%(link)s” is not a map item or discussion that exists.") % {"link": value[:80]})
