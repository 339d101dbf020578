"""The report state machine: which change is allowed, to whom, and what it requires.

    new ──► acknowledged ──► in_progress ──► scheduled ──► resolved ──► closed (fixed)
     │            │  ▲            │  ▲           │            │
     │            ▼  │            ▼  │           │            └─► in_progress (reporter disputes)
     └──────► needs_information ◄─┴──┘◄──────────┘
    any open state ──► closed (not ours → referred to whom; duplicate → of which; cannot fix → why)

Staff of the report's department (and its head) move reports along; the reporter answers a
request for information, confirms a resolution or disputes it; moderators may close. "Needs
information" stops the clock, leaving it restarts it.
"""

from django.utils.translation import gettext_lazy as _

from fixtracker.models import Report

S = Report.Status
OPEN = {S.NEW, S.ACKNOWLEDGED, S.NEEDS_INFORMATION, S.IN_PROGRESS, S.SCHEDULED}

STAFF_MOVES = {
    S.NEW: {S.ACKNOWLEDGED, S.NEEDS_INFORMATION, S.IN_PROGRESS, S.SCHEDULED, S.RESOLVED, S.CLOSED},
    S.ACKNOWLEDGED: {S.NEEDS_INFORMATION, S.IN_PROGRESS, S.SCHEDULED, S.RESOLVED, S.CLOSED},
    S.NEEDS_INFORMATION: {S.ACKNOWLEDGED, S.IN_PROGRESS, S.SCHEDULED, S.CLOSED},
    S.IN_PROGRESS: {S.NEEDS_INFORMATION, S.SCHEDULED, S.RESOLVED, S.CLOSED},
    S.SCHEDULED: {S.NEEDS_INFORMATION, S.IN_PROGRESS, S.RESOLVED, S.CLOSED},
    S.RESOLVED: set(),
    S.CLOSED: set(),
}
REPORTER_MOVES = {
    S.NEEDS_INFORMATION: {S.ACKNOWLEDGED},  # the reporter answered: back to the service
    S.RESOLVED: {S.CLOSED, S.IN_PROGRESS},  # confirm the fix, or dispute it (reopen)
}
MODERATOR_MOVES = {state: {S.CLOSED} for state in OPEN}


# The step staff usually take next from each state: what the status form offers first.
NEXT_STEP = {
    S.NEW: S.ACKNOWLEDGED,
    S.ACKNOWLEDGED: S.IN_PROGRESS,
    S.NEEDS_INFORMATION: S.ACKNOWLEDGED,
    S.IN_PROGRESS: S.RESOLVED,
    S.SCHEDULED: S.IN_PROGRESS,
}


class TransitionError(Exception):
    """A change that is not allowed; the message says why, for the person who tried it."""


def allowed(role: str, current: str) -> set[str]:
    table = {
        "staff": STAFF_MOVES,
        "head": STAFF_MOVES,
        "reporter": REPORTER_MOVES,
        "moderator": MODERATOR_MOVES,
        "admin": STAFF_MOVES,
    }[role]
    moves = set(table.get(current, set()))
    if role == "admin":
        moves |= MODERATOR_MOVES.get(current, set())
    return moves


def next_step(role: str, current: str) -> str:
    """The move to offer first: the usual next step when `role` may take it, else the only one left
    (a moderator's "closed"), else ""."""
    moves = allowed(role, current)
    step = NEXT_STEP.get(current, "")
    if step in moves:
        return step
    return next(iter(moves)) if len(moves) == 1 else ""


def in_order(moves) -> list[str]:
    """Moves in the order of the state machine (Report.Status), not alphabetical."""
    return [code for code in Report.Status.values if code in moves]


def check(role: str, report: Report, new: str, *, text: str, proof_photos: int, reason: str, details: dict):
    """Raise TransitionError unless `role` may move `report` to `new` with what was given."""
    if new not in allowed(role, report.status):
        raise TransitionError(
            _("A report that is “%(current)s” cannot become “%(new)s” by you.")
            % {"current": Report.Status(report.status).label, "new": Report.Status(new).label}
        )
    if new == S.RESOLVED and role != "reporter":
        if not text.strip():
            raise TransitionError(_("Write the public response: what was done."))
        if proof_photos < 1:
            raise TransitionError(_("Add a photo of the result as proof."))
    if new == S.NEEDS_INFORMATION and not text.strip():
        raise TransitionError(_("Write what information is needed from the reporter."))
    if new == S.SCHEDULED and not details.get("scheduled_for"):
        raise TransitionError(_("Give the date the work is scheduled for."))
    if new == S.CLOSED and role != "reporter":
        _check_close(report, reason, text, details)
    if role == "reporter" and report.status == S.RESOLVED and new == S.IN_PROGRESS and not text.strip():
        raise TransitionError(_("Say what is still wrong, so the service can act on it."))


def _check_close(report, reason, text, details):
    if reason not in Report.CloseReason.values or reason == Report.CloseReason.FIXED:
        raise TransitionError(_("Choose why the report is closed."))
    if reason == Report.CloseReason.NOT_OURS and not details.get("referred_to", "").strip():
        raise TransitionError(_("Say to whom the report was referred."))
    if reason == Report.CloseReason.DUPLICATE:
        original = details.get("duplicate_of")
        if original is None or original.pk == report.pk:
            raise TransitionError(_("Say which report this one duplicates."))
        if not original.is_public:  # only a report the public can see; never a hint of another one
            raise TransitionError(_("There is no public report %(ref)s.") % {"ref": original.reference})
    if reason == Report.CloseReason.CANNOT_FIX and not text.strip():
        raise TransitionError(_("Explain publicly why it cannot be fixed."))
