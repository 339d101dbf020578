"""Dates in the statistics pages' headers as a phone shows them."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@register.filter
def unbroken_dates(text) -> str:
    """ "Vake, 2025-01-01 – 2025-12-31" with each day kept on one line: a narrow column breaks
    between the days, not at their hyphens ("2025-01-" / "01")."""
    escaped = str(conditional_escape(text))
    return mark_safe(DAY.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped))
