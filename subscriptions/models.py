"""Area subscriptions and the delivery ledger.

A Subscription says where (a drawn area, a circle, a district, all of Tbilisi, or one item), what
(topics and kinds of change), how often (instant, daily, weekly) and to whom. Its area is stored
whole for display and again cut into small pieces (SubscriptionPart, ST_Subdivide) so that matching
an event is an index probe against small polygons, whatever the size of the drawn area.

The ledger (Delivery) has one row per subscription and batch of events it heard of, written by the
matcher in the same transaction that records the events: a transactional outbox. A batch is what one
recording transaction brought: one event for a status change, ten thousand for an import. The row
names the batch's first event (`event`, unique with the subscription, so a batch can never be
matched twice) and the others (`also_events`). A broad subscription (a whole district, all of
Tbilisi) hears of a thousand events of one import; it reads them as one digest, so it stores one row
with their ids, not a thousand rows (bench/README-subscriptions.md: 1.2 million rows and 68 s for
one import before). Nothing that must reach a
resident lives only in the broker. Workers claim pending rows, send, and mark them sent; see
subscriptions/delivery.py for the claiming protocol and what a crash can and cannot do.
"""

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, paused=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    class Area(models.TextChoices):
        POLYGON = "polygon", _("drawn area")
        CIRCLE = "circle", _("circle around a point")
        DISTRICT = "district", _("district")
        CITY = "city", _("all of Tbilisi")
        ITEM = "item", _("one item")

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("at once")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=8, default="ka")
    name = models.CharField(_("name"), max_length=120, blank=True)
    area_kind = models.CharField(_("area"), max_length=10, choices=Area.choices)
    geom = models.MultiPolygonField(srid=4326, null=True, blank=True)
    center = models.PointField(srid=4326, null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    district = models.ForeignKey("places.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    item_layer = models.CharField(max_length=40, blank=True)
    item_id = models.BigIntegerField(null=True, blank=True)
    topics = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    kinds = ArrayField(models.CharField(max_length=30), default=list)
    event_groups = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices, default=Frequency.INSTANT)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    paused = models.BooleanField(_("paused"), default=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    feed_token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)
    created_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["email", "created_at"], name="subscription_email_idx"),
            # Without these every match read the whole table for the all-of-Tbilisi and follow-an-item
            # branches: 110 ms per event at 100,000 subscriptions, 5 ms with them (bench/).
            models.Index(fields=["id"], name="subscription_city_idx", condition=models.Q(area_kind="city")),
            models.Index(
                fields=["item_layer", "item_id"], name="subscription_item_idx", condition=models.Q(area_kind="item")
            ),
        ]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return self.name or f"{self.email} · {self.get_area_kind_display()}"

    @property
    def is_active(self) -> bool:
        return bool(self.confirmed_at) and not self.paused and not self.unsubscribed_at

    def confirm(self):
        if self.confirmed_at is None:
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])


class SubscriptionPart(models.Model):
    """A piece (at most 64 vertices) of a subscription's area, for index-only matching."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="parts")
    geom = models.PolygonField(srid=4326)


class DeliveryQuerySet(models.QuerySet):
    def event_ids(self) -> set[int]:
        """Every event these rows carry: each row's first and its also_events."""
        return {i for first, also in self.values_list("event_id", "also_events") for i in (first, *also)}


class Delivery(models.Model):
    """The ledger: one row per subscription and batch of events; the unique (subscription, first event)
    pair makes 'exactly once' a fact."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("layers.Event", on_delete=models.CASCADE, related_name="+")
    # The batch's other events, by id (no foreign key: events are kept, as the ledger is).
    also_events = ArrayField(models.BigIntegerField(), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_event")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="delivery_due_idx", condition=models.Q(status="pending")),
            models.Index(fields=["subscription", "-created_at"], name="delivery_subscription_idx"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.subscription_id}/{self.event_id} {self.status}"

    @property
    def event_ids(self) -> list[int]:
        return [self.event_id, *self.also_events]

    @property
    def more(self) -> int:
        """How many events this row carries besides its first."""
        return len(self.also_events)


class ConfirmationRequest(models.Model):
    """Every confirmation email asked for, by address and client: the flood guard counts these."""

    email = models.EmailField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"], name="confirmation_email_idx")]

    def __str__(self):
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"
