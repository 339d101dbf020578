"""Which rows an export holds: the whole dataset, or the part the API's and the statistics' filters choose.

No parser of its own. The map API's parser (layers.filters.parse_filters) reads bbox, status,
district and q exactly as the features endpoint does; the statistics question parser
(stats.questions.parse_question) reads the territory (city, district, sub-district, a drawn area,
one's own subscription area), the period and the kinds and categories, exactly as the statistics
page does. A filtered export therefore holds the same items as the API's pages and counts what the
statistics count: the period is the day the current status began, and an undated status is in no
period. Every bad parameter is reported at once (ParamErrors: a 400 naming each).

The status history takes layer (one or more dataset slugs), district and from/to (the Tbilisi days
on which the status was set).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from layers.filters import ParamErrors, day_start, parse_filters, resolve_district
from layers.registry import get_layer
from smartmap.lib.params import parse_day, parse_district
from stats import engine
from stats.questions import parse_question

API_FILTERS = ("bbox", "status", "district", "q")
QUESTION_FILTERS = ("territory", "area", "from", "to", "kind", "category")
HISTORY_FILTERS = ("layer", "district", "from", "to")


@dataclass
class Selection:
    """SQL conditions over the item row `i` (ANDed) and their named parameters; or, for the
    status history, keyword arguments for Event.objects.public().filter()."""

    clauses: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    lookups: dict = field(default_factory=dict)


def parameter_names(dataset) -> tuple[str, ...]:
    return HISTORY_FILTERS if dataset.layer is None else API_FILTERS + QUESTION_FILTERS


def select(dataset, params, user=None) -> Selection:
    """The rows of `dataset` that `params` choose; ParamErrors naming every bad parameter."""
    if dataset.layer is None:
        return _history(params)
    layer = dataset.layer
    errors: dict[str, list[str]] = {}
    filters = question = None
    try:
        filters = parse_filters(layer, params, allowed=API_FILTERS)
        resolve_district(filters)
    except ParamErrors as exc:
        errors.update(exc.errors)
    asked = {name: params.get(name) for name in QUESTION_FILTERS if params.get(name) is not None}
    try:
        question = parse_question({**_lists(params), **asked, "layer": layer.slug}, user)
    except ParamErrors as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
    if filters and question:
        _one_district(filters, question.sides[0].territory, errors)
    if errors:
        raise ParamErrors(errors)
    return _items(layer, filters, question)


def _lists(params) -> dict:
    """kind and category as one comma-separated value, whether given once or repeated."""
    if not hasattr(params, "getlist"):
        return {}
    return {name: ",".join(params.getlist(name)) for name in ("kind", "category") if params.getlist(name)}


def _one_district(filters, territory, errors):
    if filters.district_id is not None and territory.district_id not in (None, filters.district_id):
        errors.setdefault("district", []).append(_("names another district than “territory”: give one of them"))


def _items(layer, filters, question) -> Selection:
    side = question.sides[0]
    flt = question.layer_filter(layer)
    flt.statuses = filters.statuses
    # The statistics' own conditions (the public rule first, then status, district, kind and
    # category, the territory's shape and the period), with the API's bbox and text on top.
    clauses, params = engine.item_clauses(layer, flt, side.territory, filters)
    clauses += engine.territory_clauses(side.territory, params)
    end = date.fromordinal(side.date_to.toordinal() + 1) if side.date_to else None
    clauses += engine.period_clauses(layer, side.date_from, end, "export", params)
    return Selection(clauses, params)


def _history(params) -> Selection:
    errors: dict[str, list[str]] = {}
    lookups: dict = {"new_status__gt": ""}  # the events that set a status

    def attempt(name, parse):
        raw = params.get(name)
        if raw is None or not str(raw).strip():
            return None
        try:
            return parse(str(raw).strip())
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
            return None

    layers = attempt("layer", _layers)
    district = attempt("district", parse_district)
    day_from, day_to = attempt("from", parse_day), attempt("to", parse_day)
    if day_from and day_to and day_from > day_to:
        errors.setdefault("to", []).append(_("must not be before “from”"))
    if errors:
        raise ParamErrors(errors)
    if layers:
        lookups["layer__in"] = layers
    if district is not None:
        lookups["district__number" if isinstance(district, int) else "district__slug"] = district
    if day_from:
        lookups["occurred_at__gte"] = day_start(day_from)
    if day_to:
        lookups["occurred_at__lt"] = day_start(date.fromordinal(day_to.toordinal() + 1))
    return Selection(lookups=lookups)


def _layers(raw: str) -> list[str]:
    from opendata.dictionary import datasets

    slugs = [s.strip() for s in raw.split(",") if s.strip()]
    known = [slug for slug, dataset in datasets().items() if dataset.layer is not None]
    unknown = [s for s in slugs if s not in known or get_layer(s) is None]
    if unknown or not slugs:
        raise ValueError(
            _("unknown layer %(unknown)s; the layers are: %(known)s")
            % {"unknown": ", ".join(unknown) or "—", "known": ", ".join(known)}
        )
    return slugs
