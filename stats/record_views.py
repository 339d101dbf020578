"""The response record page: City Hall's services by department, category or district, for any period.

Thin: parse the period and the grouping, ask stats.record for the figures, render. The figures of a
period are cached in Redis under the reports layer's data version (layers.tiles), so they are
recomputed after any change to a report and at most every CACHE_SECONDS otherwise (the "overdue
now" count moves with the clock).
"""

import hashlib
from datetime import date

from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Department
from fixtracker.actions.timeline import calendar
from fixtracker.models import Category
from layers.tiles import data_version
from places.models import District
from smartmap.lib.params import parse_day
from smartmap.sharing import share_for
from stats import record

CACHE_SECONDS = 300
MODELS = {"department": Department, "category": Category, "district": District}


def page(request):
    errors, params = {}, request.GET
    by = params.get("by") or "department"
    if by not in record.BY:
        errors["by"] = [_("choose department, category or district")]
        by = "department"
    today = timezone.localdate()
    date_from = _day(params, "from", date(today.year, 1, 1), errors)
    date_to = _day(params, "to", today, errors)
    if date_from > date_to:
        errors.setdefault("to", []).append(_("must not be before “from”"))
    only, chosen = _only(params, errors)
    context = {
        "by": by,
        "date_from": date_from,
        "date_to": date_to,
        "errors": errors,
        "chosen": chosen,
        "choices": {name: list(model.objects.all()) for name, model in MODELS.items()},
        "fair_minimum": record.FAIR_MINIMUM,
        "share": share_for(
            request,
            _("How City Hall responds"),
            _("Every service's record with residents' reports: received, answered and resolved on time."),
            path=request.get_full_path(),
            kind="website",
        ),
    }
    if not errors:
        context.update(_cached(by, date_from, date_to, only))
        context["overdue"], context["oldest"] = record.overdue_now(only)
    return render(request, "stats/record.html", context, status=400 if errors else 200)


def _day(params, name, default, errors):
    raw = params.get(name)
    if not raw:
        return default
    try:
        return parse_day(raw)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return default


def _only(params, errors) -> tuple[dict, dict]:
    """The department, category or district a person narrowed the record to (by code)."""
    only, chosen = {}, {}
    for name, model in MODELS.items():
        code = params.get(name)
        if not code:
            continue
        found = model.objects.filter(slug=code).first()
        if found is None:
            errors[name] = [_("there is no %(what)s “%(code)s”") % {"what": model._meta.verbose_name, "code": code}]
        else:
            only[name], chosen[name] = found.pk, found
    return only, chosen


def _cached(by, date_from, date_to, only) -> dict:
    raw = f"{by}|{date_from}|{date_to}|{sorted(only.items())}|{get_language()}|{data_version('reports')}"
    key = "stats:record:" + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _compute(by, date_from, date_to, only)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _compute(by, date_from, date_to, only) -> dict:
    facts = record.load_facts(date_from, date_to, only)
    cal = calendar()
    names = {obj.pk: obj.name for obj in MODELS[by].objects.all()} | {0: _("no district")}
    rows = [
        {
            "name": names.get(key, str(key)),
            "code": getattr(MODELS[by].objects.filter(pk=key).first(), "slug", ""),
            "figures": record.figures(group, calendar=cal),
        }
        for key, group in record.by_group(facts, by).items()
    ]
    rows.sort(key=lambda row: row["name"])  # by name, never ranked (the fairness rule)
    trend = [
        {"month": month.strftime("%Y-%m"), "figures": record.figures(group, calendar=cal)}
        for month, group in record.months(facts).items()
    ]
    return {
        "rows": rows,
        "total": record.figures(facts, calendar=cal),
        "trend": trend,
        "trend_chart": _trend_chart(trend),
    }


def _trend_chart(trend) -> dict:
    return {
        "labels": [t["month"] for t in trend],
        "received": [t["figures"].received for t in trend],
        "acknowledged": [t["figures"].acknowledged_on_time.percent for t in trend],
        "resolved": [t["figures"].resolved_on_time.percent for t in trend],
        "names": [_("received"), _("acknowledged on time, %"), _("resolved on time, %")],
    }
