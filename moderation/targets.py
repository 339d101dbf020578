"""What can be flagged and moderated: each app registers its kinds of content here from ready().

A Target knows, for its kind, how to find an item, show it to a moderator (text, author, a link),
hide or restore it with a public reason, and edit personal data out of it (keeping the original
for moderators). The queue and the actions in moderation.actions work through these alone.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    kind: str
    label: object
    load: Callable  # (id) -> object or None
    describe: Callable  # (obj) -> dict(text, author, author_id, url, hidden)
    hide: Callable  # (obj, reason, actor) -> None
    restore: Callable  # (obj, actor) -> None
    edit_out: Callable | None = None  # (obj, new_text, actor) -> None; the original is kept
    author_history: Callable | None = None  # (author_id) -> dict of counts


_TARGETS: dict[str, Target] = {}


def register(target: Target) -> Target:
    _TARGETS[target.kind] = target
    return target


def get(kind: str) -> Target | None:
    return _TARGETS.get(kind)


def kinds() -> list[str]:
    return list(_TARGETS)
