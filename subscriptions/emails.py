"""The emails residents get: confirmations and notifications, in their language, HTML and text.

Every notification carries a no-login unsubscribe link (signed, single use; its GET shows a
one-button page because mail scanners follow links) and RFC 8058 one-click headers, plus a
signed link to manage the subscription.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.tokens import make_token
from layers.models import Event
from layers.registry import get_layer
from subscriptions.models import Subscription

UNSUBSCRIBE = "unsubscribe"
MANAGE = "manage-subscription"
CONFIRM = "confirm-subscription"


class Unbuildable(Exception):
    """The message cannot be made (a header that would be an injection, a name from before names were
    checked): retrying cannot help, so its rows fail at once with this reason."""


class Digest(EmailMultiAlternatives):
    """A notification whose MIME form is made once: built() makes it (telling a bad header apart from a
    mail server's refusal) and the mail backend sends those same bytes instead of building them again."""

    _mime = None

    def message(self, *args, **kwargs):
        if self._mime is None:
            self._mime = super().message(*args, **kwargs)
        return self._mime


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
        # The service's public response that came with a status change (the deadline's name otherwise).
        "text": (event.data or {}).get("text", "") if event.kind == "status_changed" else "",
        "verdict": verdict((event.data or {}).get("late_seconds")),
    }


def verdict(late_seconds) -> str:
    """The deadline clock's verdict in the active language: on time, or late by how long."""
    if late_seconds is None:
        return ""
    if late_seconds <= 0:
        return _("on time")
    start = timezone.now()
    return _("late by %(duration)s") % {"duration": timesince(start, start + timedelta(seconds=late_seconds))}


def item_subject(event: Event) -> str:
    """The subject of news about one followed item: its reference and what happened to it."""
    reference = event.item_ref or event.title
    layer = get_layer(event.layer)
    status = str(layer.status_label(event.new_status)) if layer and event.new_status else event.new_status
    if event.kind == "status_changed" and event.new_status == "resolved":
        return _("%(reference)s was resolved") % {"reference": reference}
    if event.kind == "status_changed" and event.new_status == "closed":
        return _("%(reference)s was closed") % {"reference": reference}
    if event.kind == "status_changed" and status:
        return _("%(reference)s: status changed to %(status)s") % {"reference": reference, "status": status}
    if event.kind == "deadline_missed":
        return _("%(reference)s missed its deadline") % {"reference": reference}
    return f"{reference}: {describe(event)['what']}"


def message_id(subscription_id: int, delivery_ids: list[int]) -> str:
    """Stable per group: a resend after a crash carries the same Message-ID."""
    return f"<smartmap.{subscription_id}.{min(delivery_ids)}@{settings.SITE_URL.split('//')[-1].split(':')[0]}>"


def digest(subscription: Subscription, events: list[Event], delivery_ids: list[int]) -> Digest:
    """The one email that carries these events to this subscription, built (see built())."""
    with translation.override(subscription.language):
        links = _links(subscription)
        context = {
            "subscription": subscription,
            "items": [describe(e) for e in events],
            "area_name": subscription.name or subscription.get_area_kind_display(),
            **links,
        }
        if subscription.area_kind == Subscription.Area.ITEM and events:
            subject = item_subject(max(events, key=lambda e: (e.occurred_at, e.pk or 0)))
        else:
            subject = ngettext(
                "Smart Map: %(count)d update in %(area)s", "Smart Map: %(count)d updates in %(area)s", len(events)
            ) % {"count": len(events), "area": context["area_name"]}
        message = Digest(
            subject=subject,
            body=render_to_string("subscriptions/email/digest.txt", context),
            to=[subscription.email],
            headers={
                "Message-ID": message_id(subscription.pk, delivery_ids),
                "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(render_to_string("subscriptions/email/digest.html", context), "text/html")
    return built(message)


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
