"""Moderation workflows: flag, automatic hiding, keep, hide, edit out personal data, block; each writes
its audit entry in the same transaction.

Automatic hiding: once MODERATION_AUTO_HIDE_FLAGS distinct accounts, each older than
MODERATION_FLAG_ACCOUNT_DAYS, have flagged something still unreviewed, it is hidden until a moderator
looks ("hidden until a moderator reviews it"). Young accounts may flag, and their flags show in the
queue, but they cannot hide anything by themselves: a spammer's fresh accounts cannot silence people.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation import targets
from moderation.models import PENDING_REVIEW, AuditEntry, Flag


class ModerationError(ValueError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def audit(actor, action: str, kind: str, target_id: int, reason: str = "", **data) -> AuditEntry:
    label = (actor.public_name if actor.display_name else actor.email) if actor is not None else _("automatic")
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=str(label),
        action=action,
        target_kind=kind,
        target_id=target_id,
        reason=str(reason)[:300],
        data=data,
    )


def _target(kind: str, target_id: int):
    target = targets.get(kind)
    obj = target.load(target_id) if target is not None else None
    if obj is None:
        raise ModerationError(_("There is nothing like that to flag."), 404)
    return target, obj


@transaction.atomic
def do_flag(kind: str, target_id: int, *, user, reason: str) -> Flag:
    target, obj = _target(kind, target_id)
    if reason not in Flag.Reason.values:
        raise ModerationError(_("Please choose a reason for the flag."))
    if target.describe(obj)["author_id"] == user.pk:
        raise ModerationError(_("You cannot flag your own post."))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(target_kind=kind, target_id=target_id, user=user, reason=reason)
    except IntegrityError:
        raise ModerationError(_("You have already flagged this."), 409) from None
    if not target.describe(obj)["hidden"] and _weighty_flags(kind, target_id) >= settings.MODERATION_AUTO_HIDE_FLAGS:
        target.hide(obj, PENDING_REVIEW, None)
        audit(None, "auto_hide", kind, target_id, _("flagged by several residents"))
    return flag


def _weighty_flags(kind: str, target_id: int) -> int:
    old_enough = timezone.now() - timedelta(days=settings.MODERATION_FLAG_ACCOUNT_DAYS)
    return (
        Flag.objects.filter(
            target_kind=kind, target_id=target_id, resolved_at__isnull=True, user__date_joined__lte=old_enough
        )
        .values("user")
        .distinct()
        .count()
    )


def _resolve(kind, target_id):
    Flag.objects.filter(target_kind=kind, target_id=target_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


@transaction.atomic
def do_keep(kind: str, target_id: int, *, moderator) -> None:
    """The flags were wrong: they are cleared and the content is shown again."""
    target, obj = _target(kind, target_id)
    if target.describe(obj)["hidden"]:
        target.restore(obj, moderator)
    _resolve(kind, target_id)
    audit(moderator, "keep", kind, target_id)


@transaction.atomic
def do_hide(kind: str, target_id: int, *, moderator, reason: str) -> None:
    if reason not in Flag.Reason.values:
        raise ModerationError(_("Please choose the public reason."))
    target, obj = _target(kind, target_id)
    target.hide(obj, reason, moderator)  # the code: worded in each reader's language (reason_text)
    _resolve(kind, target_id)
    audit(moderator, "hide", kind, target_id, str(Flag.Reason(reason).label))


@transaction.atomic
def do_edit_out(kind: str, target_id: int, *, moderator, text: str) -> None:
    """Personal data edited out: the public sees the new text; the original goes to the audit log only."""
    target, obj = _target(kind, target_id)
    if target.edit_out is None:
        raise ModerationError(_("This kind of content cannot be edited; hide it instead."))
    try:
        original = target.edit_out(obj, text, moderator)
    except ValueError as exc:  # the new text failed its own checks
        raise ModerationError(str(exc)) from None
    _resolve(kind, target_id)
    audit(moderator, "edit_out", kind, target_id, str(Flag.Reason.PERSONAL_DATA.label), original=original)


# How long a moderator may block an author for: {form value: days}, "" for good.
BLOCK_PERIODS = {"1": 1, "7": 7, "30": 30, "": None}


@transaction.atomic
def do_block(kind: str, target_id: int, *, moderator, reason: str, period: str = "") -> None:
    """Block the author for a period (BLOCK_PERIODS) or for good (the portal's one block list, kept
    by Fix-Tbilisi's models); a block that has run out stops applying by itself."""
    from fixtracker.models import Block

    target, obj = _target(kind, target_id)
    if not reason.strip():
        raise ModerationError(_("Say why the author is blocked."))
    if period not in BLOCK_PERIODS:
        raise ModerationError(_("Choose how long the block lasts."))
    days = BLOCK_PERIODS[period]
    until = timezone.now() + timedelta(days=days) if days else None
    author_id = target.describe(obj)["author_id"]
    if author_id is None:
        raise ModerationError(_("This has no author account to block."))
    Block.objects.create(user_id=author_id, reason=reason.strip()[:300], until=until, created_by=moderator)
    ends = until.isoformat() if until else None
    audit(moderator, "block", kind, target_id, reason.strip(), author=author_id, until=ends)
