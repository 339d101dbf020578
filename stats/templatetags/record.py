"""Figures of the response record as people read them, with the fairness rule applied once, here."""

from datetime import date

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fixtracker.models.categories import UNIT_CHOICES

register = template.Library()
UNITS = dict(UNIT_CHOICES)


@register.filter
def share(value) -> str:
    """ "87.0% (870 of 1000)" — or only "7 of 9" when the base is too small to be fair."""
    if not value.whole:
        return "—"
    counts = _("%(part)d of %(whole)d") % {"part": value.part, "whole": value.whole}
    return f"{value.percent:g}% ({counts})" if value.percent is not None else counts


@register.filter
def durations(value: dict) -> str:
    """ "median 4.5, 90% within 12.0 working hours" for each unit the group's categories use."""
    parts = [
        _("median %(median)s, 90%% within %(p90)s %(unit)s")
        % {"median": f"{d['median']:g}", "p90": f"{d['p90']:g}", "unit": UNITS.get(unit, unit)}
        for unit, d in sorted(value.items())
    ]
    return "; ".join(parts) or "—"


@register.inclusion_tag("stats/_record_line.html")
def record_line(report):
    """The sentence on a report's page about its department's record this year, with the link to it."""
    from stats import record

    today = timezone.localdate()
    only = {"department": report.department_id, "category": report.category_id}
    figures = record.figures(record.load_facts(date(today.year, 1, 1), today, only))
    query = urlencode({"by": "category", "department": report.department.slug, "category": report.category.slug})
    return {"report": report, "figures": figures, "url": f"{reverse('stats:record')}?{query}"}
