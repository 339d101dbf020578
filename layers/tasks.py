"""Scheduled imports of registers that publish a feed (a URL serving a CSV, XLSX or GeoJSON).

poll_feeds runs from Celery beat every few minutes and enqueues import_feed for each feed that is
due. A feed is claimed with a conditional UPDATE on last_checked_at, so two beats (or a retry)
never import the same feed twice in one period. import_feed takes the feed's id, re-reads it,
downloads with If-None-Match / If-Modified-Since (an unchanged register costs one 304), and runs
the same import core as the command line, committing. Only network errors are retried.
"""

import logging
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

from layers.importing import ImportRefused, Mapping, MappingError, run_import
from layers.models import Feed

log = logging.getLogger(__name__)
MAX_BYTES = 200 * 1024 * 1024
SUFFIXES = {
    "text/csv": ".csv",
    "application/geo+json": ".geojson",
    "application/json": ".geojson",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


@shared_task(soft_time_limit=60)
def poll_feeds():
    now = timezone.now()
    due = Feed.objects.filter(enabled=True).filter(
        Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - timedelta(minutes=1) * F("every_minutes"))
    )
    for feed_id, checked in due.values_list("id", "last_checked_at"):
        # Claim: only the poller that moves last_checked_at from the value it read enqueues.
        if Feed.objects.filter(id=feed_id, last_checked_at=checked).update(last_checked_at=now) == 1:
            import_feed.delay(feed_id)


@shared_task(
    bind=True,
    soft_time_limit=900,
    autoretry_for=(urllib.error.URLError, TimeoutError, ConnectionError),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=4,
)
def import_feed(self, feed_id: int):
    feed = Feed.objects.filter(id=feed_id, enabled=True).first()
    if feed is None:
        return "gone"
    try:
        mapping = Mapping.from_dict(feed.mapping)
    except MappingError as exc:
        log.error("feed %s: bad mapping: %s", feed.name, exc)
        return "bad mapping"
    with tempfile.TemporaryDirectory() as tmp:
        path = _download(feed, Path(tmp))
        if path is None:
            Feed.objects.filter(id=feed.id).update(last_checked_at=timezone.now())
            return "not modified"
        try:
            report = run_import(mapping, path, commit=True, via="feed")
        except ImportRefused as exc:
            log.warning("feed %s refused: %s", feed.name, exc)
            return "refused"
    Feed.objects.filter(id=feed.id).update(last_checked_at=timezone.now(), last_run=report.run)
    return report.summary()


def _download(feed: Feed, folder: Path) -> Path | None:
    request = urllib.request.Request(feed.url, headers={"User-Agent": "SmartMapTbilisi/1.0"})
    if feed.etag:
        request.add_header("If-None-Match", feed.etag)
    if feed.last_modified:
        request.add_header("If-Modified-Since", feed.last_modified)
    try:
        response = urllib.request.urlopen(request, timeout=60)  # noqa: S310 (admin-configured URL)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise
    with response:
        suffix = Path(urllib.parse.urlparse(feed.url).path).suffix.lower()
        if suffix not in (".csv", ".xlsx", ".geojson", ".json", ".gpkg", ".zip"):
            suffix = SUFFIXES.get(response.headers.get_content_type(), ".csv")
        path = folder / f"feed{suffix}"
        size = 0
        with open(path, "wb") as out:
            while chunk := response.read(1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    log.error("feed %s is larger than %d MB: not imported", feed.name, MAX_BYTES // 2**20)
                    return None
                out.write(chunk)
        Feed.objects.filter(id=feed.id).update(
            etag=response.headers.get("ETag", ""), last_modified=response.headers.get("Last-Modified", "")
        )
    return path
