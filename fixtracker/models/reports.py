"""Fix-Tbilisi reports: a problem on a street, its public clock, and the city's response.

A report is one more map item (it shares the MapItem columns, so it joins the layer registry,
tiles and API as the "reports" layer). Only confirmed, unhidden reports are public. Its public
timeline is ReportUpdate rows, written once and never edited; internal notes live there too,
marked internal, and never leave the staff pages. Status changes are also Events on the spine.

The two deadlines (response: acknowledge; resolution: fixed or closed with a reason) are stamped
when the report is confirmed, paused while the service waits for information from the reporter,
and recalculated on resume; each recalculation is a timeline entry.

A report imported from an old hotline (fixtracker.importing, `manage.py import_reports`) carries
its historic dates and deadlines and is marked `imported_at`; its clock never runs here (the
overdue sweep passes it by). One without a usable location at its source has no geometry: it is
public and counted in the response record, but on no map.
"""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.core.files.storage import FileSystemStorage
from django.db.models import Case, F, When
from django.db.models.functions import Least
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fixtracker.deadlines import overdue_q
from layers.models.items import MapItem, MapItemQuerySet
from smartmap.lib.i18n import neutral_reverse

# Originals (with their EXIF, GPS and all) are never served publicly: a storage outside MEDIA_ROOT.
private_storage = SimpleLazyObject(lambda: FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT))


def _private_storage():
    return private_storage


class ReportQuerySet(MapItemQuerySet):
    def open(self):
        return self.exclude(status__in=[Report.Status.RESOLVED, Report.Status.CLOSED, Report.Status.UNCONFIRMED])

    def overdue(self, now=None, deadline=None):
        """Open reports with a deadline overdue (one Deadline of fixtracker.deadlines, or either)."""
        now = now or timezone.now()
        return self.open().filter(deadline.overdue_q(now) if deadline else overdue_q(now))


class Report(MapItem):
    LAYER = "reports"
    # Public once its reporter confirmed it, until a moderator hides it or it is withdrawn.
    PUBLIC_RULE = (("confirmed_at", False), ("hidden_at", True), ("withdrawn_at", True))

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("waiting for email confirmation")
        NEW = "new", _("new")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        NEEDS_INFORMATION = "needs_information", _("needs information")
        IN_PROGRESS = "in_progress", _("in progress")
        SCHEDULED = "scheduled", _("scheduled")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    class CloseReason(models.TextChoices):
        FIXED = "fixed", _("fixed")
        NOT_OURS = "not_ours", _("not our responsibility")
        DUPLICATE = "duplicate", _("duplicate")
        CANNOT_FIX = "cannot_fix", _("cannot be fixed")

    category = models.ForeignKey("fixtracker.Category", on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="reports")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    reporter_name = models.CharField(_("reporter's name"), max_length=120, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
    answers = models.JSONField(_("answers to extra questions"), default=dict, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    response_due_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    response_overdue_at = models.DateTimeField(null=True, blank=True)
    resolution_overdue_at = models.DateTimeField(null=True, blank=True)
    supporters_count = models.PositiveIntegerField(default=1)
    # Only imported reports may lack a place (see the module's docstring); the map needs one.
    geom = models.GeometryField(_("location"), srid=4326, null=True, blank=True)
    point = models.PointField(srid=4326, null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True, editable=False)
    # Claimed by the sweep that tells the department's staff of a new report (once per report).
    staff_notified_at = models.DateTimeField(null=True, blank=True)
    # The deadline that matters next (the response one until acknowledged, then resolution), kept
    # by PostgreSQL itself: the staff queue sorts 100,000 reports on it through an index.
    next_due_at = models.GeneratedField(
        expression=Case(
            When(acknowledged_at__isnull=True, then=Least("response_due_at", "resolution_due_at")),
            default=F("resolution_due_at"),
        ),
        output_field=models.DateTimeField(),
        db_persist=True,
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="report_source_key")]
        indexes = [
            models.Index(fields=["department", "status", "resolution_due_at"], name="report_queue_idx"),
            models.Index(fields=["status", "status_since"], name="report_status_idx"),
            models.Index(
                fields=["department", "next_due_at", "id"],
                name="report_next_due_idx",
                condition=models.Q(confirmed_at__isnull=False),
            ),
            # The queue's "newest" and "oldest" orders.
            models.Index(
                fields=["department", "confirmed_at", "id"],
                name="report_confirmed_idx",
                condition=models.Q(confirmed_at__isnull=False),
            ),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def get_absolute_url(self):
        # By reference; a bare id (generic layer code builds links from ids) redirects to it.
        return reverse("fixtracker:report", kwargs={"reference": self.reference or str(self.pk)})

    def public_path(self) -> str:
        return neutral_reverse("fixtracker:report", reference=self.reference)

    def answer_rows(self) -> list[tuple[str, str]]:
        """The extra questions' answers as (question, answer) in the reader's language.

        Answers are stored by key ("pole": "12"); the category's questions hold the labels in both
        languages and, for choices, each answer's label. A key the category no longer asks keeps
        its raw form rather than disappearing.
        """
        english = get_language() == "en"
        questions = {q["key"]: q for q in self.category.questions}
        rows = []
        for key, value in self.answers.items():
            question = questions.get(key, {})
            label = question.get("label_en" if english else "label_ka") or key
            choices = {c[0]: c[2] if english else c[1] for c in question.get("choices", [])}
            rows.append((label, choices.get(value, value)))
        return rows

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None

    @property
    def public_reporter(self) -> str:
        """What the public may know of who reported: a name only when they chose to show it."""
        if self.show_name and self.reporter_name:
            return self.reporter_name
        return str(_("A resident"))


class ReportUpdate(models.Model):
    """One entry of a report's timeline. Written once; never edited or deleted.

    An entry stores what happened, never a sentence: its kind, the statuses, who acted as a role
    (and for a department, which one) and, in `data`, codes and ids. The words are chosen when it
    is read, in the reader's language, so an entry written by someone using English reads in
    Georgian on /ka/ (`by`, `transfer_route`, `close_reason_label`). Entries from before roles
    were stored that matched no known label keep their text as written in `legacy_label`.
    """

    class Actor(models.TextChoices):
        """Who acted, as the public sees it: a role, never a person."""

        DEPARTMENT = "department", _("the department")
        MODERATOR = "moderator", _("Moderator")
        REPORTER = "reporter", _("The reporter")
        RESIDENT = "resident", _("A resident")
        CLOCK = "clock", _("the deadline clock")

    class Kind(models.TextChoices):
        CREATED = "created", _("reported")
        STATUS = "status", _("status changed")
        COMMENT = "comment", _("comment")
        NOTE = "note", _("internal note")
        ASSIGN = "assign", _("assigned")
        TRANSFER = "transfer", _("transferred")
        DEADLINE = "deadline", _("deadline recalculated")
        OVERDUE = "overdue", _("deadline missed")
        SUPPORT = "support", _("support added")
        DUPLICATE = "duplicate", _("marked duplicate")
        MODERATION = "moderation", _("moderation")
        DISTRICT = "district", _("district boundaries changed")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=20, choices=Actor.choices, blank=True)
    actor_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legacy_label = models.CharField(
        max_length=200, blank=True, help_text="who acted, as written by an old entry that matched no known label"
    )
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    public_text = models.TextField(blank=True)
    internal = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.report_id} {self.kind} {self.new_status}"

    def get_new_status_display(self) -> str:
        return dict(Report.Status.choices).get(self.new_status, self.new_status)

    @property
    def by(self) -> str:
        """Who acted, in the active language: the department's name, or the role."""
        if self.actor_role == self.Actor.DEPARTMENT and self.actor_department_id:
            return self.actor_department.name
        if self.actor_role:
            return str(self.get_actor_role_display())
        return self.legacy_label

    @property
    def transfer_route(self) -> str:
        """ "from → to" of a transfer, the departments named in the active language."""
        from accounts.models import Department

        ends = [self.data.get("from"), self.data.get("to")]
        names = Department.objects.in_bulk([e for e in ends if isinstance(e, int)])
        return " → ".join(names[e].name if e in names else str(e or "?") for e in ends)

    @property
    def close_reason_label(self) -> str:
        reason = self.data.get("reason", "")
        return str(dict(Report.CloseReason.choices).get(reason, reason))


class SupporterQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Supporter(models.Model):
    """Someone who has the same problem: supports an existing report instead of filing another.

    Counted once confirmed: at once for a verified account, otherwise when the address's owner opens
    the emailed link. `email` is the normalised address (fixtracker.actions.support.mailbox), so one
    mailbox is one supporter however it is spelled.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"], name="support_once_per_user", condition=models.Q(user__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["report", "email"], name="support_once_per_email", condition=~models.Q(email="")
            ),
        ]

    def __str__(self):
        return f"{self.report_id} +1"


def _original_path(photo, filename):
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def _public_path(photo, filename):
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class ReportPhoto(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("photo of the problem")
        PROOF = "proof", _("photo of the result")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    update = models.ForeignKey(ReportUpdate, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPORT)
    original = models.FileField(storage=_private_storage, upload_to=_original_path)
    content_type = models.CharField(max_length=40)
    public = models.ImageField(upload_to=_public_path, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    gps = models.PointField(srid=4326, null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.report_id} {self.kind} photo"

    @property
    def is_public(self) -> bool:
        return bool(self.public) and not self.hidden_at
