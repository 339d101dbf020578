"""The forum's lists: latest activity, new, top in a period, waiting for City Hall, by section, by
district, in a drawn area, and search; each one indexed query (forum.models.Thread.Meta.indexes).

Pages are fetched one row longer than shown, which says whether a next page exists without counting
100,000 threads. Search: Georgian has no stemmer in PostgreSQL, so titles and opening texts are kept
transliterated to Latin (forum.models.Thread.search_text) and matched with the 'simple' configuration
and prefix terms: "vake", "Vake" and "ვაკე" become vake:*, which also finds ვაკეში (vakeshi).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Thread, ThreadRead
from smartmap.lib.translit import transliterate

PAGE_SIZE = 30
MAX_PAGE = 300
ORDERS = {
    "latest": (_("Latest activity"), ["-last_post_at", "-id"]),
    "new": (_("New"), ["-created_at", "-id"]),
    "top": (_("Top"), ["-support_count", "-id"]),
    "waiting": (_("Waiting for City Hall"), ["created_at", "id"]),
}
PERIODS = {
    "day": (_("today"), timedelta(days=1)),
    "week": (_("this week"), timedelta(days=7)),
    "month": (_("this month"), timedelta(days=31)),
    "year": (_("this year"), timedelta(days=366)),
    "all": (_("all time"), None),
}
COMMON_MATCHES = 500  # matches of a search above which a list's index is walked (see _is_common)
LIST_DEFERRED = ("geom", "search_text", "search_vector", "documents", "district__geom")
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass
class Listing:
    order: str = "latest"
    period: str = "week"
    section: object = None
    district: object = None
    area: object = None
    q: str = ""
    page: int = 1


def search_query(q: str) -> SearchQuery | None:
    terms = _TERM.findall(transliterate(q))[:8]
    if not terms:
        return None
    return SearchQuery(" & ".join(f"{term}:*" for term in terms), config="simple", search_type="raw")


def threads(listing: Listing):
    # A list shows the district's name, never its outline: deferring the geometries (a district's
    # is ~100 kB) took the latest-activity query from 57 to 4.5 ms (bench/forum_bench.py, 300 threads).
    qs = Thread.objects.public().select_related("section", "district", "author").defer(*LIST_DEFERRED)
    if listing.section is not None:
        qs = qs.filter(section=listing.section)
    if listing.district is not None:
        qs = qs.filter(district=listing.district)
    if listing.area is not None:
        qs = qs.filter(geom__intersects=listing.area)
    common = False
    if listing.q:
        query = search_query(listing.q)
        qs = qs.filter(search_vector=query) if query is not None else qs.none()
        common = query is not None and _is_common(query)
    if listing.order == "waiting":
        qs = qs.filter(answered_at__isnull=True, status=Thread.Status.OPEN)
    if listing.order == "top" and PERIODS[listing.period][1] is not None:
        qs = qs.filter(created_at__gte=timezone.now() - PERIODS[listing.period][1])
    order = ORDERS[listing.order][1]
    if listing.section is not None and listing.order == "latest":
        order = ["-pinned", *order]  # a section's pinned threads stay on top of it
    if listing.q and not common:
        order = [_not_by_index(field) for field in order]
    return qs.order_by(*order)


def _is_common(query) -> bool:
    """More than COMMON_MATCHES threads match: walking a list's index finds a page of them soon.

    PostgreSQL guesses one fixed share of rows for every prefix query, so it always walks the
    latest-activity index checking each thread's words until 31 match: 0.3 ms for a common word,
    but 305 ms over all 100,000 threads for a word nobody wrote. Matching through the GIN index first
    and sorting the matches is the opposite: 0.1-4 ms for rare words, 120-450 ms for a word in 13 %
    of the threads (bench/forum_bench.py). This probe (the GIN index, stopping at COMMON_MATCHES+1
    rows, a few ms) picks the right one of the two.
    """
    probe = Thread.objects.public().filter(search_vector=query).order_by().values("pk")[: COMMON_MATCHES + 1]
    return probe.count() > COMMON_MATCHES


def _not_by_index(field: str):
    """``field`` as an expression no index is sorted by, so a search of a rare word reads the GIN index first."""
    name = field.lstrip("-")
    expression = Coalesce(name, name)
    return expression.desc() if field.startswith("-") else expression.asc()


def page_of(listing: Listing) -> tuple[list[Thread], bool]:
    start = (listing.page - 1) * PAGE_SIZE
    rows = list(threads(listing)[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def with_unread(rows: list[Thread], user) -> list[Thread]:
    """Each thread gets .unread: None (never opened or signed out) or how many posts are new."""
    reads = {}
    if user.is_authenticated and rows:
        reads = dict(
            ThreadRead.objects.filter(user=user, thread__in=[t.pk for t in rows]).values_list(
                "thread_id", "last_number"
            )
        )
    for thread in rows:
        last = reads.get(thread.pk)
        thread.seen = last is not None
        thread.unread = max(thread.posts_count - last, 0) if last is not None else None
        thread.first_unread = (last or 0) + 1
    return rows


def for_item(layer: str, item_id: int, limit: int = 20) -> tuple[list[Thread], int]:
    """The discussions of one map item, for its page: (latest first, how many in all)."""
    qs = Thread.objects.public().filter(item_links__layer=layer, item_links__item_id=item_id)
    return list(qs.select_related("section").order_by("-last_post_at")[:limit]), qs.count()
