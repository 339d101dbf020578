"""What residents can subscribe to: topics (what kind of thing) and event groups (what happened).

Topics are layer topics ("construction", "trees", "projects", "reports", "forum"); a topic may
have sub-topics written "reports:street-lighting", and subscribing to "reports" includes all of
them. Event groups name kinds of change in residents' words; one Event.kind can belong to more
than one group (a consultation opening is also a status change).
"""

from django.utils.translation import gettext_lazy as _

TOPICS = {
    "construction": _("Construction permits"),
    "trees": _("Tree felling and transplanting"),
    "projects": _("Infrastructure projects"),
    "reports": _("Fix-Tbilisi reports"),
    "forum": _("Forum discussions"),
}
# Sub-topics other apps add (Fix-Tbilisi categories register here when they exist).
SUBTOPICS: dict[str, str] = {}

EVENT_GROUPS = {
    "new": (_("New items"), ["created"]),
    "status": (_("Status changes"), ["status_changed", "consultation_opened", "withdrawn"]),
    "consultation": (_("A public consultation opens"), ["consultation_opened"]),
    "deadlines": (_("Missed deadlines"), ["deadline_missed"]),
}
# Someone following one item hears of every change to it, details included.
FOLLOW_KINDS = ["created", "status_changed", "consultation_opened", "withdrawn", "updated", "deadline_missed"]


def register_subtopic(code: str, label) -> None:
    SUBTOPICS[code] = label


def known_topic(code: str) -> bool:
    return code in TOPICS or code in SUBTOPICS


def kinds_for(groups: list[str]) -> list[str]:
    kinds: list[str] = []
    for group in groups:
        kinds += [k for k in EVENT_GROUPS[group][1] if k not in kinds]
    return kinds
