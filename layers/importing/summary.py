"""The one-paragraph account of an import run, as the console and the feed log show it.

    5,000 rows read: 4,812 created, 0 updated, 0 unchanged, 0 withdrawn, 188 refused (120 outside
    Tbilisi, 68 unknown status word); events: 4,812 created, 9,310 status changed.

A dry run says the same of what a commit would write ("would write: …").
"""

from layers.models import EventKind, ImportRun

KIND_WORDS = {
    EventKind.CREATED: "created",
    EventKind.STATUS_CHANGED: "status changed",
    EventKind.CONSULTATION_OPENED: "consultation opened",
    EventKind.UPDATED: "details changed",
    EventKind.WITHDRAWN: "withdrawn",
}


def summary(run: ImportRun) -> str:
    refused = f"{run.rejected:,} refused"
    if run.refused_by_reason:
        refused += " (" + ", ".join(f"{n:,} {code}" for code, n in run.refused_by_reason.items()) + ")"
    counts = (
        f"{run.created:,} created, {run.updated:,} updated, {run.unchanged:,} unchanged, "
        f"{run.withdrawn:,} withdrawn, {refused}"
    )
    if run.duplicates:
        counts += f", {run.duplicates:,} duplicate rows skipped"
    events = ", ".join(f"{n:,} {KIND_WORDS.get(kind, kind)}" for kind, n in run.events.items()) or "none"
    written = "would write" if run.outcome == ImportRun.Outcome.DRY_RUN else "wrote"
    return f"{run.rows_read:,} rows read: {counts}; {written} events: {events}"
