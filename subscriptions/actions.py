"""Subscription workflows: create (with double opt-in, a flood guard and a cap), confirm, unsubscribe.

The cap: one account, or one address without an account, has at most SUBSCRIPTIONS_MAX_PER_ACCOUNT
or SUBSCRIPTIONS_MAX_PER_EMAIL active subscriptions (follows of single items count too). Asking for
one more (through the API, the form or a "follow" button) is refused with a message naming the
limit; follows made for someone (a reporter following their own report) are not refused.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from subscriptions.models import ConfirmationRequest, Subscription
from subscriptions.topics import FOLLOW_KINDS, kinds_for

# How many confirmation emails one address, and one client, may trigger per hour.
PER_EMAIL_PER_HOUR = 3
PER_IP_PER_HOUR = 10


class TooManyRequests(Exception):
    pass


class LimitReached(Exception):
    """One more subscription would pass the account's or the address's cap."""


@dataclass
class AreaChoice:
    kind: str
    geom: object = None
    center: object = None
    radius_m: int | None = None
    district: object = None
    item_layer: str = ""
    item_id: int | None = None


def check_flood(email: str, ip: str | None) -> None:
    """Counted in PostgreSQL, so the guard holds with Redis down."""
    since = timezone.now() - timedelta(hours=1)
    if ConfirmationRequest.objects.filter(email__iexact=email, created_at__gte=since).count() >= PER_EMAIL_PER_HOUR:
        raise TooManyRequests(_("Too many confirmation emails to this address; please try again in an hour."))
    if ip and ConfirmationRequest.objects.filter(ip=ip, created_at__gte=since).count() >= PER_IP_PER_HOUR:
        raise TooManyRequests(_("Too many subscriptions from your connection; please try again in an hour."))


def check_cap(user, email: str) -> None:
    """Inside the caller's transaction; the lock makes two requests at once count one after the other."""
    account = user is not None and user.is_authenticated
    active = Subscription.objects.filter(unsubscribed_at__isnull=True)
    mine = active.filter(user=user) if account else active.filter(email__iexact=email)
    limit = settings.SUBSCRIPTIONS_MAX_PER_ACCOUNT if account else settings.SUBSCRIPTIONS_MAX_PER_EMAIL
    with connection.cursor() as cursor:
        # A transaction-scoped advisory lock per account or address: held until commit, so the count
        # and the insert of one request are not interleaved with another's.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"subscriptions:{user.pk if account else email.lower()}"]
        )
    if mine.count() < limit:
        return
    if account:
        message = ngettext(
            "An account may have at most %(max)d subscription: unsubscribe from one to add another.",
            "An account may have at most %(max)d subscriptions: unsubscribe from one to add another.",
            limit,
        )
    else:
        message = ngettext(
            "An address may have at most %(max)d subscription: unsubscribe from one to add another.",
            "An address may have at most %(max)d subscriptions: unsubscribe from one to add another.",
            limit,
        )
    raise LimitReached(message % {"max": limit})


@transaction.atomic
def do_create_subscription(
    *, area: AreaChoice, topics, groups, frequency, email, language, name="", user=None, ip=None
):
    """Store a subscription; confirmed at once for a verified account, otherwise by email."""
    verified = user is not None and user.is_authenticated and user.has_verified_email()
    check_cap(user, email)
    if not verified:
        check_flood(email, ip)
    subscription = Subscription.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        email=email,
        language=language,
        name=name[:120],
        area_kind=area.kind,
        geom=area.geom,
        center=area.center,
        radius_m=area.radius_m,
        district=area.district,
        item_layer=area.item_layer,
        item_id=area.item_id,
        topics=list(topics),
        event_groups=list(groups),
        # Followers of one item hear of every change to it; areas hear of the kinds chosen.
        kinds=FOLLOW_KINDS if area.kind == "item" else kinds_for(groups),
        frequency=frequency,
        created_ip=ip,
        confirmed_at=timezone.now() if verified else None,
    )
    _store_parts(subscription)
    if not verified:
        _ask_for_opt_in(subscription)
    return subscription


def do_subscribe(validated: dict, *, user, ip) -> Subscription:
    """Create from SubscriptionInput's validated data: the API and the page ask the same way."""
    return do_create_subscription(
        area=validated["area_choice"],
        topics=validated["topics"],
        groups=validated["events"],
        frequency=validated["frequency"],
        email=validated["email"],
        language=validated["language"],
        name=validated["name"],
        user=user,
        ip=ip,
    )


def _send_confirmation(subscription_id: int):
    from subscriptions.emails import send_confirmation

    send_confirmation(Subscription.objects.get(pk=subscription_id))


def _store_parts(subscription: Subscription) -> None:
    subscription.parts.all().delete()
    if subscription.geom is None:
        return
    with connection.cursor() as cursor:
        # ST_Subdivide: pieces of at most 64 vertices, so a district-sized drawing is matched
        # through the GiST index as fast as a small one.
        cursor.execute(
            "INSERT INTO subscriptions_subscriptionpart (subscription_id, geom) "
            "SELECT id, ST_Subdivide(geom, 64) FROM subscriptions_subscription WHERE id = %s",
            [subscription.pk],
        )


def do_confirm(subscription: Subscription) -> None:
    subscription.confirm()


def do_unsubscribe(subscription: Subscription) -> None:
    """Stop for good; pending rows are cancelled, history is kept for the record."""
    from subscriptions.models import Delivery

    with transaction.atomic():
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at"])
        subscription.deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.CANCELLED)


@transaction.atomic
def do_update_subscription(subscription: Subscription, *, area: AreaChoice, topics, groups, frequency, name="") -> None:
    """The owner changes area, topics, kinds of change or frequency; matching uses the new ones at once."""
    for field in ("geom", "center", "radius_m", "district", "item_layer", "item_id"):
        setattr(subscription, field, getattr(area, field))
    subscription.area_kind = area.kind
    subscription.topics, subscription.event_groups = list(topics), list(groups)
    subscription.kinds = FOLLOW_KINDS if area.kind == "item" else kinds_for(groups)
    subscription.frequency, subscription.name = frequency, name[:120]
    subscription.save()
    _store_parts(subscription)


def do_follow_item(
    layer: str, item_id: int, *, email: str, user=None, language: str = "ka", proven: bool = True, name: str = ""
) -> Subscription | None:
    """Follow one item; following twice is one follow.

    `proven`: the address's owner has shown it is theirs (a verified account, a reporter who opened
    their report's link), so the follow is confirmed at once. Otherwise, whoever asked (even a
    trusted Open311 application filing in someone's name), the follow waits for the address's own
    opt-in: the same confirmation email and flood guard as any subscription. None when the guard
    refuses (the address has had its share of confirmation emails this hour).
    """
    existing = Subscription.objects.filter(
        area_kind=Subscription.Area.ITEM,
        item_layer=layer,
        item_id=item_id,
        email__iexact=email,
        unsubscribed_at__isnull=True,
    ).first()
    if existing is not None:
        if proven:
            existing.confirm()
        return existing
    if not proven:
        try:
            check_flood(email, None)
        except TooManyRequests:
            return None
    subscription = Subscription.objects.create(
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        email=email,
        language=language,
        name=name[:120],
        area_kind=Subscription.Area.ITEM,
        item_layer=layer,
        item_id=item_id,
        topics=[],
        event_groups=[],
        kinds=FOLLOW_KINDS,
        frequency=Subscription.Frequency.INSTANT,
        confirmed_at=timezone.now() if proven else None,
    )
    if not proven:
        _ask_for_opt_in(subscription)
    return subscription


def _ask_for_opt_in(subscription: Subscription) -> None:
    ConfirmationRequest.objects.create(email=subscription.email, ip=subscription.created_ip)
    subscription.confirmation_sent_at = timezone.now()
    subscription.save(update_fields=["confirmation_sent_at"])
    # Sent after commit: never an email for a subscription that was rolled back.
    transaction.on_commit(lambda: _send_confirmation(subscription.pk))
