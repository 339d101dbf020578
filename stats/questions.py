"""A statistical question as people write it (the page's form, the permalink, the API) and its answer.

A question names one or more layers; statuses, kinds and categories (each applies to the layers
that have it: "issued" filters the permits and leaves the reports alone); a territory; a period
(from/to, Tbilisi days of the current status); a grouping; and optionally a comparison with a second
period (from_b/to_b) or a second territory (territory_b/area_b). The same query string is the
page's permalink and the API's parameters, so a question reads the same everywhere.

A period comparison grouped by month, quarter or year pairs the rows by their place in the period
(the first month of A beside the first month of B), so "2025 against 2024 by month" is twelve rows.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from layers.filters import ParamErrors
from layers.registry import all_layers, get_layer
from places.areas import AreaError
from places.models import District
from smartmap.lib.params import parse_day
from stats import engine
from stats.dimensions import dimensions, value_codes, value_labels
from stats.territories import Territory, parse_territory

TIME_GROUPS = ("month", "quarter", "year")
MAX_FILLED = 1200  # rows of zeros a time grouping may add (a century of months)
COMPARISONS = ("period", "territory")
PARAMS = (
    "layer",
    "status",
    "kind",
    "category",
    "territory",
    "area",
    "from",
    "to",
    "group",
    "compare",
    "from_b",
    "to_b",
    "territory_b",
    "area_b",
)


@dataclass
class Side:
    label: str
    territory: Territory
    date_from: date | None
    date_to: date | None


@dataclass
class Question:
    layers: list
    statuses: list[str] | None
    kinds: list[str] | None
    categories: list[str] | None
    group: str | None
    compare: str | None
    sides: list[Side] = field(default_factory=list)

    def layer_filter(self, layer) -> engine.LayerFilter:
        """The filters that apply to this layer, as stored values."""
        statuses = None
        if self.statuses is not None:
            known = {code for code, _label in layer.statuses()}
            statuses = [s for s in self.statuses if s in known] or None
        return engine.LayerFilter(
            statuses, _values(layer, "kind", self.kinds), _values(layer, "category", self.categories)
        )


def _values(layer, name, wanted):
    if wanted is None or not dimensions(layer.slug).has(name):
        return None
    codes = value_codes(layer.slug, name)
    return sorted({codes[w] for w in wanted if w in codes}) or None


def parse_question(params, user=None) -> Question:
    """A Question from a QueryDict or dict of strings; ParamErrors naming every bad parameter."""
    errors: dict[str, list[str]] = {}

    def attempt(name, parse, area_name=None):
        try:
            return parse()
        except AreaError as exc:  # a drawn area's fault is the area parameter's, not the territory's
            errors.setdefault(area_name or name, []).append(str(exc))
            return None
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
            return None

    layers = attempt("layer", lambda: _parse_layers(params))
    group = attempt("group", lambda: _choice(params.get("group"), engine.GROUPS, _("grouping")))
    compare = attempt("compare", lambda: _choice(params.get("compare"), COMPARISONS, _("comparison")))
    statuses = attempt("status", lambda: _codes(_joined(params, "status"), layers, "status"))
    kinds = attempt("kind", lambda: _codes(_joined(params, "kind"), layers, "kind"))
    categories = attempt("category", lambda: _codes(_joined(params, "category"), layers, "category"))
    sides = [_side(params, "", user, attempt)]
    if compare == "period":
        sides.append(_side(params, "_b", user, attempt, territory=sides[0].territory))
    elif compare == "territory":
        sides.append(_side(params, "_b", user, attempt, dates=(sides[0].date_from, sides[0].date_to)))
    if compare == "period" and group in TIME_GROUPS and not all(side.date_from for side in sides):
        errors.setdefault("from_b", []).append(_("to compare periods by time, give both periods a start date"))
    if errors:
        raise ParamErrors(errors)
    return Question(layers, statuses, kinds, categories, group, compare, sides)


def _parse_layers(params) -> list:
    raw = _joined(params, "layer")
    slugs = [s.strip() for s in raw.split(",") if s.strip()]
    if not slugs:
        raise ValueError(_("choose at least one layer"))
    unknown = [s for s in slugs if get_layer(s) is None]
    if unknown:
        known = ", ".join(layer.slug for layer in all_layers())
        raise ValueError(
            _("unknown layer %(unknown)s; the layers are: %(known)s") % {"unknown": ", ".join(unknown), "known": known}
        )
    return [get_layer(s) for s in dict.fromkeys(slugs)]


def _joined(params, name) -> str:
    """A list parameter given once with commas or repeated (?status=a&status=b)."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name) or ""]
    return ",".join(v for v in values if v)


def _choice(raw, choices, what):
    if raw in (None, "", "none"):
        return None
    if raw not in choices:
        raise ValueError(
            _("unknown %(what)s “%(raw)s”; choose one of: %(choices)s")
            % {"what": what, "raw": raw, "choices": ", ".join(choices)}
        )
    return raw


def _codes(raw, layers, name) -> list[str] | None:
    codes = [c.strip() for c in (raw or "").split(",") if c.strip()]
    if not codes or not layers:
        return None
    known = set()
    for layer in layers:
        known |= {c for c, _label in layer.statuses()} if name == "status" else set(value_codes(layer.slug, name))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(
            _("%(unknown)s is not a %(name)s of the chosen layers; they have: %(known)s")
            % {
                "unknown": ", ".join(unknown),
                "name": _label(name),
                "known": ", ".join(sorted(k for k in known if k)) or "—",
            }
        )
    return sorted(set(codes))


def _label(name):
    return {"status": _("status"), "kind": _("kind"), "category": _("category")}[name]


def _side(params, suffix, user, attempt, territory=None, dates=None) -> Side:
    if territory is None:
        territory = attempt(
            f"territory{suffix}",
            lambda: parse_territory(params.get(f"territory{suffix}"), params.get(f"area{suffix}"), user),
            f"area{suffix}",
        )
    if dates is None:
        date_from = attempt(f"from{suffix}", lambda: _date(params.get(f"from{suffix}")))
        date_to = attempt(f"to{suffix}", lambda: _date(params.get(f"to{suffix}")))
        attempt(f"to{suffix}", lambda: _check_order(date_from, date_to))
    else:
        date_from, date_to = dates
    territory = territory or Territory("city", _("all of Tbilisi"))
    return Side(_side_label(territory, date_from, date_to), territory, date_from, date_to)


def _check_order(date_from, date_to):
    if date_from and date_to and date_from > date_to:
        raise ValueError(_("must not be before “from”"))


def _date(raw):
    return parse_day(raw) if raw and raw.strip() else None


def _side_label(territory, date_from, date_to) -> str:
    if date_from or date_to:
        period = f"{date_from.isoformat() if date_from else '…'} – {date_to.isoformat() if date_to else '…'}"
        return f"{territory.label}, {period}"
    return territory.label


# --- The answer -------------------------------------------------------------------------------------


@dataclass
class Row:
    layer: str
    layer_name: str
    key: str
    label: str
    values: list[int]

    @property
    def change(self) -> int | None:
        return self.values[0] - self.values[1] if len(self.values) == 2 else None

    @property
    def relative(self) -> float | None:
        """(A − B) / B, or None when B is 0 or there is no B."""
        if len(self.values) != 2 or not self.values[1]:
            return None
        return (self.values[0] - self.values[1]) / self.values[1]

    @property
    def change_text(self) -> str:
        return "" if self.change is None else f"{self.change:+d}"

    @property
    def relative_text(self) -> str:
        return "—" if self.relative is None else f"{self.relative * 100:+.1f}%"


@dataclass
class Answer:
    question: Question
    columns: list[str]
    rows: list[Row]

    @property
    def totals(self) -> list[int]:
        return [sum(row.values[i] for row in self.rows) for i in range(len(self.columns))]

    @property
    def total_change(self) -> Row:
        return Row("", "", "", _("total"), self.totals)


def answer(question: Question) -> Answer:
    rows: dict[tuple, Row] = {}
    for index, side in enumerate(question.sides):
        for layer in question.layers:
            found = engine.counts(
                layer, question.layer_filter(layer), side.territory, side.date_from, side.date_to, question.group
            )
            labels = _key_labels(layer, question.group)
            for key, n in found.items():
                row_key, label = _row_key(question, side, key, labels)
                row = rows.setdefault(
                    (layer.slug, row_key),
                    Row(layer.slug, str(layer.name), str(row_key), label, [0] * len(question.sides)),
                )
                row.values[index] += n
    if question.group in TIME_GROUPS:
        _fill_empty_periods(question, rows)
    ordered = sorted(rows.values(), key=lambda r: (_layer_order(question, r.layer), _sort_key(question.group, r)))
    return Answer(question, [side.label for side in question.sides], ordered)


def _layer_order(question, slug) -> int:
    return [layer.slug for layer in question.layers].index(slug)


def _sort_key(group, row):
    if group in TIME_GROUPS or group == "district":
        return (0, int(row.key)) if row.key.lstrip("-").isdigit() else (1, row.key)
    return (0, row.label)


def _row_key(question, side, key, labels):
    """Time keys of a period comparison become offsets from the period's start; labels say both."""
    group = question.group
    if group not in TIME_GROUPS:
        return ("" if key is None else str(key)), labels(key)
    if key == engine.UNKNOWN_MONTH:
        return -1, _("date unknown")
    if question.compare != "period":
        return _ordinal(group, key), labels(key)
    offset = _ordinal(group, key) - _ordinal(group, side.date_from)
    first = question.sides[0].date_from
    return offset, labels(_shift(group, first, offset))


def _fill_empty_periods(question, rows: dict) -> None:
    """A month (quarter, year) with nothing in it is a row of zeros, not a gap, from the period's
    start (or the first found) to its end (or the last found): a gap would vanish from the chart's
    line and the table. Only for a layer that has something to show, and within MAX_FILLED rows."""
    group = question.group
    for layer in question.layers:
        found = [int(key) for slug, key in rows if slug == layer.slug and int(key) != -1]
        if not found:
            continue
        first, last = _period_span(question, group)
        first = min(found) if first is None else min(first, *found)
        last = max(found) if last is None else max(last, *found)
        if last - first >= MAX_FILLED:
            continue
        labels = _key_labels(layer, group)
        start = question.sides[0].date_from
        for key in range(first, last + 1):
            if (layer.slug, key) not in rows:
                day = _shift(group, start, key) if question.compare == "period" else _day_of(group, key)
                zeros = [0] * len(question.sides)
                rows[(layer.slug, key)] = Row(layer.slug, str(layer.name), str(key), labels(day), zeros)


def _period_span(question, group) -> tuple[int | None, int | None]:
    """The first and last key the question's period asks for (offsets when comparing periods)."""
    sides = question.sides
    if question.compare == "period":  # both sides have a start (parse_question's rule)
        ends = [s.date_to and _ordinal(group, s.date_to) - _ordinal(group, s.date_from) for s in sides]
        return 0, (max(ends) if all(e is not None for e in ends) else None)
    side = sides[0]
    return (
        side.date_from and _ordinal(group, side.date_from),
        side.date_to and _ordinal(group, side.date_to),
    )


def _day_of(group, key: int) -> date:
    """The first day of the month, quarter or year numbered `key` by _ordinal."""
    months = {"month": key, "quarter": key * 3, "year": key * 12}[group]
    return date(months // 12, months % 12 + 1, 1)


def _ordinal(group, day: date) -> int:
    months = day.year * 12 + day.month - 1
    return {"month": months, "quarter": months // 3, "year": day.year}[group]


def _shift(group, start: date, offset: int) -> date:
    months = start.year * 12 + start.month - 1 + offset * {"month": 1, "quarter": 3, "year": 12}[group]
    return date(months // 12, months % 12 + 1, 1)


def _key_labels(layer, group):
    if group is None:
        return lambda key: str(layer.name)
    if group == "month":
        return lambda key: key.strftime("%Y-%m")
    if group == "quarter":
        return lambda key: _("%(year)d, quarter %(quarter)d") % {"year": key.year, "quarter": (key.month - 1) // 3 + 1}
    if group == "year":
        return lambda key: str(key.year)
    if group == "district":
        names = {d.pk: d.name for d in District.objects.all()} | {0: _("no district")}
        return lambda key: names.get(key, str(key))
    if group == "status":
        return layer.status_label
    labels = value_labels(layer.slug, group)
    return lambda key: labels.get(key, key or _("not given"))
