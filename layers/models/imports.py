"""Import runs and scheduled feeds: every import is kept, with who, when, what and what was refused."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Outcome(models.TextChoices):
        DRY_RUN = "dry_run", _("dry run")
        COMMITTED = "committed", _("committed")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    layer = models.CharField(_("layer"), max_length=40)
    source = models.CharField(_("source"), max_length=60)
    file_name = models.CharField(_("file"), max_length=500)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    started_via = models.CharField(_("started via"), max_length=40, default="command")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    message = models.TextField(_("message"), blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # Rows of a repeated id left out because the mapping says the last one wins (duplicates: last).
    duplicates = models.PositiveIntegerField(_("duplicate rows skipped"), default=0)
    # [{"row": 7, "reason": "unknown status word 'x'", "code": "unknown status word"}, ...], skipped rows too
    rejected_rows = models.JSONField(_("rejected rows"), default=list, blank=True)
    # {"unknown status word": 3, ...}: the refused rows by kind of reason
    refused_by_reason = models.JSONField(_("refused by reason"), default=dict, blank=True)
    # {"created": 120, "status_changed": 240, ...}: the events written (or, in a dry run, that would be)
    events = models.JSONField(_("events by kind"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"{self.layer} {self.file_name} {self.started_at:%Y-%m-%d %H:%M}"


class Feed(models.Model):
    """A register published at a URL, imported on a schedule by Celery beat."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    layer = models.CharField(_("layer"), max_length=40)
    url = models.URLField(_("URL"), max_length=500)
    mapping = models.JSONField(_("mapping"))
    every_minutes = models.PositiveIntegerField(_("every, minutes"), default=60)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self):
        return self.name
