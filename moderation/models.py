"""Flags residents raise, and the append-only audit log of what moderators and staff did.

A Flag names its target by kind and id ("post" 12, "report" 7, "photo" 3): the kinds are
registered by the apps that own the content (moderation.targets), so this app reads no other
app's models. One account flags one thing once. AuditEntry rows are only ever inserted: the admin
lists and exports them but cannot change or delete one, and nothing in code updates them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a hidden item stores as its public reason: a Flag.Reason code, or this while flags await a
# moderator. Worded when read, so each reader sees it in their own language (not the moderator's).
PENDING_REVIEW = "pending_review"


def reason_text(stored: str) -> str:
    """A stored public reason in the reader's language; older free text exactly as it was written."""
    if stored == PENDING_REVIEW:
        return str(_("hidden until a moderator reviews it"))
    if stored in Flag.Reason.values:
        return str(Flag.Reason(stored).label)
    return stored


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("spam")
        ABUSE = "abuse", _("abuse")
        PERSONAL_DATA = "personal_data", _("personal data")
        OFF_TOPIC = "off_topic", _("off topic")
        ILLEGAL = "illegal", _("illegal")

    target_kind = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a moderator has looked at it (keep or hide): the queue shows only open flags.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target_kind", "target_id", "user"], name="one_flag_per_account")
        ]
        indexes = [
            models.Index(fields=["target_kind", "target_id"], name="flag_target_idx"),
            models.Index(fields=["created_at"], name="flag_open_idx", condition=models.Q(resolved_at__isnull=True)),
        ]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self):
        return f"{self.target_kind}#{self.target_id} {self.reason}"


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=200)  # kept when the account is gone
    action = models.CharField(_("what"), max_length=40)
    target_kind = models.CharField(_("kind"), max_length=20)
    target_id = models.BigIntegerField(_("id"))
    reason = models.CharField(_("why"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_kind}#{self.target_id}"
