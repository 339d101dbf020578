"""The history engine: which events a record's stages add to an item's timeline.

An item's timeline is its events (layers.models.events); an import only ever adds to it. The
rules, so that importing a register stage by stage over the years and importing it once, wide,
give the same timeline:

- **A new item** gets one event per stage, oldest first: ``created`` at its first stage, then one
  status change per later stage. A stage with the register's date is dated so (history when it
  is old, news when it is recent — the subscriptions' window decides); a stage without a date is
  stored as *date unknown*: history, never news, in no period of any statistic.
- **An existing item** gets an event for each stage whose status its timeline does not hold yet,
  and always one when the register's current status differs from the item's: a different status
  is a change, whatever the dates say. It is dated by the register when the register dates it,
  even when that date is earlier than stages already stored (it then takes its place in the
  history, and its old status is the one before it in time), and otherwise *seen on* the time
  of this import, which makes it news: the change is real and new to us.
- A stage already in the timeline adds nothing, so re-importing a file changes nothing.
- Which kind a status change is comes from layers.events.status_change_kind (one rule for all).
"""

from bisect import insort
from dataclasses import dataclass
from datetime import UTC, datetime

from layers.events import status_change_kind
from layers.models import DateBasis, EventKind

EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class Planned:
    kind: str
    old_status: str
    new_status: str
    at: datetime | None
    basis: str


@dataclass
class Current:
    """The item's status after the import, and when it began."""

    status: str
    since: datetime
    known: bool


def first_history(stages) -> list[Planned]:
    planned, previous = [], None
    for stage in stages:
        basis = DateBasis.SOURCE if stage.at else DateBasis.UNKNOWN
        if previous is None:
            planned.append(Planned(EventKind.CREATED, "", stage.status, stage.at, basis))
        elif stage.status != previous.status:
            kind = status_change_kind(stage.status)
            planned.append(Planned(kind, previous.status, stage.status, stage.at, basis))
        previous = stage
    return planned


def first_current(stages, now) -> Current:
    """A new item's status: its last stage, since its date, or (undated) since the last date known."""
    last = stages[-1]
    dated = [s.at for s in stages if s.at]
    return Current(last.status, last.at or (dated[-1] if dated else now), last.at is not None)


def stored_timeline(rows) -> list[tuple[datetime, int, str]]:
    """(key, id, status) of an item's stored status events, as layers.models.timeline orders them."""
    keyed, key = [], EARLIEST
    for event_id, status, occurred_at in sorted(rows, key=lambda r: r[0]):
        key = occurred_at or key
        keyed.append((key, event_id, status))
    return sorted(keyed)


def later_history(stored: list[tuple[datetime, int, str]], status: str, stages, now) -> list[Planned]:
    """The events an existing item (at ``status``, with this stored timeline) gets from ``stages``."""
    held = {entry[2] for entry in stored}
    new = [stage for stage in stages[:-1] if stage.status not in held]
    last = stages[-1]
    if last.status != status or last.status not in held:
        new.append(last)
    timeline, planned = list(stored), []
    for stage in new:
        at, basis = (stage.at, DateBasis.SOURCE) if stage.at else (now, DateBasis.SEEN)
        before = [entry for entry in timeline if entry[0] <= at]
        old = before[-1][2] if before else ""
        if old != stage.status:
            planned.append(Planned(status_change_kind(stage.status), old, stage.status, at, basis))
        insort(timeline, (at, len(timeline) + 10**12, stage.status))
    return planned


def later_current(item, stages, now) -> Current | None:
    """The item's new status, or None when the register's current status is the item's."""
    last = stages[-1]
    if last.status == item.status:
        return None
    return Current(last.status, last.at or now, True)
