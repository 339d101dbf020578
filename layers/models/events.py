"""The event spine: one row for every creation or change of anything on the map.

Layers (permits, projects) and Fix-Tbilisi write events only through ``layers.events.record_event``,
in the same transaction as the change itself; subscriptions and statistics read only events. That
one table is the contract between capabilities, so none reaches into another's models.

``occurred_at`` is when the change happened at the source (a permit issued in 2019 and imported
today occurred in 2019); ``recorded_at`` is when we learned of it. Notifications care about the
second, filtered by the first, so a first import of ten years of history becomes history, not news.

``date_basis`` says what ``occurred_at`` rests on: the source's own date; the time an import first
saw a change the source did not date ("seen on": still news, the change is real and new to us); or
nothing at all — a stage a register lists without a date is history of unknown date, stored with
no ``occurred_at``, so it never notifies anyone and never counts in a period of any statistic. A
check constraint keeps the two fields agreeing. An item's history is read in timeline order
(see timeline()): dated events by their date, an undated one right after the event written before it.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CREATED = "created", _("new item")
    STATUS_CHANGED = "status_changed", _("status changed")
    UPDATED = "updated", _("details changed")
    CONSULTATION_OPENED = "consultation_opened", _("public consultation opened")
    DEADLINE_MISSED = "deadline_missed", _("deadline missed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DateBasis(models.TextChoices):
    SOURCE = "source", _("dated at the source")
    SEEN = "seen", _("seen on")
    UNKNOWN = "unknown", _("date unknown")


class EventQuerySet(models.QuerySet):
    def of_item(self, layer: str, item_id: int):
        return self.filter(layer=layer, item_id=item_id)

    def public(self):
        """Events the public may see now: none of an item the registry's public rule withholds (a
        report hidden after its events were recorded takes them along). Per layer, a NOT EXISTS on
        the item's primary key, so the cost is one index probe per event."""
        from django.db.models import Exists, OuterRef, Q

        from layers.registry import all_layers

        withheld = Q(pk__in=[])
        for layer in all_layers():
            item = layer.withheld_items().filter(pk=OuterRef("item_id"))
            withheld |= Q(Exists(item), layer=layer.slug)
        return self.exclude(withheld)


class Event(models.Model):
    layer = models.CharField(_("layer"), max_length=40, db_index=True)
    item_id = models.BigIntegerField(_("item"))
    item_ref = models.CharField(_("reference"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=60, db_index=True)
    kind = models.CharField(_("kind of change"), max_length=30, choices=EventKind.choices)
    old_status = models.CharField(_("old status"), max_length=40, blank=True)
    new_status = models.CharField(_("new status"), max_length=40, blank=True)
    geom = models.GeometryField(_("location"), srid=4326, null=True)
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    occurred_at = models.DateTimeField(_("happened at"), null=True, blank=True)
    date_basis = models.CharField(_("date"), max_length=10, choices=DateBasis.choices, default=DateBasis.SOURCE)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["layer", "item_id", "recorded_at"], name="event_item_idx"),
            models.Index(fields=["occurred_at"], name="event_occurred_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_basis="unknown", occurred_at__isnull=True)
                | (~models.Q(date_basis="unknown") & models.Q(occurred_at__isnull=False)),
                name="event_date_basis_agrees",
            )
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.layer}#{self.item_id} {self.kind} {self.new_status}".strip()


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def timeline(events) -> list[Event]:
    """Events of one item in history order, oldest first.

    Dated events sort by their date; an event of unknown date keeps the place it was written in
    (right after the event recorded before it), which is its stage's place in the register.
    """
    keyed, key = [], _EARLIEST
    for event in sorted(events, key=lambda e: e.pk):
        key = event.occurred_at or key
        keyed.append((key, event.pk, event))
    return [event for _, _, event in sorted(keyed, key=lambda k: (k[0], k[1]))]
