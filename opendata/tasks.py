"""Open data background work: the nightly full dumps (beat, 03:15 Tbilisi time).

Safe to run twice: each run writes its own directory and only one runs at a time (the advisory
lock in opendata.actions); a second one returns at once.
"""

from celery import shared_task

from opendata.actions import do_write_dumps


@shared_task(soft_time_limit=3 * 3600)
def write_dumps():
    manifest = do_write_dumps()
    return None if manifest is None else manifest["run"]
