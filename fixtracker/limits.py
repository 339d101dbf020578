"""How often one account, address, email or client may do something: counted in PostgreSQL, per hour.

Reports, their photos and supports are limited the same way: the rows made in the last hour by the
same someone are counted, in PostgreSQL (so the limit holds when Redis is down), and one more is
refused when it would pass the limit. A refusal says when the next one fits: the moment enough of
the counted rows have left the hour, which is what the 429's Retry-After header carries.
"""

import math
from datetime import timedelta

from django.utils import timezone

WINDOW = timedelta(hours=1)


def retry_after(rows, limit: int, more: int = 1) -> int | None:
    """None when `more` rows fit beside `rows` (a QuerySet with created_at) made in the last hour;
    otherwise the seconds until they do."""
    now = timezone.now()
    recent = rows.filter(created_at__gte=now - WINDOW)
    count = recent.count()
    excess = count + more - limit
    if excess <= 0:
        return None
    # The excess-th oldest row of the hour must leave it before `more` fit.
    leaving = recent.order_by("created_at").values_list("created_at", flat=True)[min(excess, count) - 1]
    return max(1, math.ceil((leaving + WINDOW - now).total_seconds()))
