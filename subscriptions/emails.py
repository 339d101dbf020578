"""The emails residents get: confirmations and notifications, in their language, HTML and text.

Every notification carries a no-login unsubscribe link (signed, single use; its GET shows a
one-button page because mail scanners follow links) and RFC 8058 one-click headers, plus a
signed link to manage the subscription.
"""

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.tokens import make_token
from layers.models import Event
from layers.registry import get_layer
from subscriptions.models import Delivery, Subscription

UNSUBSCRIBE = "unsubscribe"
MANAGE = "manage-subscription"
CONFIRM = "confirm-subscription"


class Cancelled(Exception):
    """The subscription ended after the rows were matched: nothing to send."""


class Unbuildable(Exception):
    """The message cannot be made (a header that would be an injection, a name from before names were
    checked): retrying cannot help, so its rows fail at once with this reason."""


def built(message: EmailMultiAlternatives) -> EmailMultiAlternatives:
    """Build the MIME message now, so a bad header is told apart from a mail server's refusal."""
    try:
        message.message()
    except (BadHeaderError, ValueError, UnicodeError) as exc:
        raise Unbuildable(f"{exc.__class__.__name__}: {exc}") from None
    return message


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _links(subscription: Subscription) -> dict:
    return {
        "unsubscribe_url": absolute(
            reverse("subscriptions:unsubscribe", args=[make_token(UNSUBSCRIBE, subscription.pk)])
        ),
        "manage_url": absolute(reverse("subscriptions:manage", args=[make_token(MANAGE, subscription.pk)])),
    }


def describe(event: Event) -> dict:
    """What happened, in the active language, for one line of an email or feed."""
    layer = get_layer(event.layer)
    label = layer.status_label if layer else (lambda code: code)
    what = {
        "created": _("New"),
        "status_changed": _("Status changed"),
        "consultation_opened": _("Public consultation opened"),
        "withdrawn": _("Withdrawn"),
        "updated": _("Details changed"),
        "deadline_missed": _("Deadline missed"),
    }.get(event.kind, event.kind)
    status = str(label(event.new_status)) if event.new_status else ""
    if event.kind == "status_changed" and event.old_status:
        status = f"{label(event.old_status)} → {status}"
    return {
        "what": what,
        "status": status,
        "layer": str(layer.name) if layer else event.layer,
        "title": event.title,
        "reference": event.item_ref,
        "district": event.district.name if event.district_id else "",
        "occurred_at": event.occurred_at,
        "url": absolute(f"/{translation.get_language()}{event.url}") if event.url else "",
    }


def send_digest(subscription_id: int, delivery_ids: list[int]) -> str:
    subscription = Subscription.objects.get(pk=subscription_id)
    if not subscription.is_active:
        Delivery.objects.filter(id__in=delivery_ids).update(status=Delivery.Status.CANCELLED)
        raise Cancelled
    events = list(
        Event.objects.filter(id__in=Delivery.objects.filter(id__in=delivery_ids).values("event_id"))
        .select_related("district")
        .order_by("occurred_at", "id")
    )
    # Stable per group: a resend after a crash carries the same Message-ID.
    message_id = f"<smartmap.{subscription.pk}.{min(delivery_ids)}@{settings.SITE_URL.split('//')[-1].split(':')[0]}>"
    with translation.override(subscription.language):
        links = _links(subscription)
        context = {
            "subscription": subscription,
            "items": [describe(e) for e in events],
            "area_name": subscription.name or subscription.get_area_kind_display(),
            **links,
        }
        subject = ngettext(
            "Smart Map: %(count)d update in %(area)s", "Smart Map: %(count)d updates in %(area)s", len(events)
        ) % {"count": len(events), "area": context["area_name"]}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("subscriptions/email/digest.txt", context),
            to=[subscription.email],
            headers={
                "Message-ID": message_id,
                "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(render_to_string("subscriptions/email/digest.html", context), "text/html")
    built(message).send()
    return message_id


def send_confirmation(subscription: Subscription) -> None:
    with translation.override(subscription.language):
        context = {
            "subscription": subscription,
            "confirm_url": absolute(reverse("subscriptions:confirm", args=[make_token(CONFIRM, subscription.pk)])),
            "area_name": subscription.name or subscription.get_area_kind_display(),
        }
        message = EmailMultiAlternatives(
            subject=_("Smart Map: confirm your subscription"),
            body=render_to_string("subscriptions/email/confirm.txt", context),
            to=[subscription.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string("subscriptions/email/confirm.html", context), "text/html")
    message.send()
