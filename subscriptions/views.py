"""Pages behind the emailed links, the private and public feeds.

Links in emails are GET-safe: mail scanners follow them, so a GET only shows a page with one
button, and the change happens on POST. RFC 8058 one-click unsubscribe POSTs to the same URL.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.tokens import InvalidToken, UsedToken, consume_token, read_token
from subscriptions import actions
from subscriptions.emails import CONFIRM, MANAGE, UNSUBSCRIBE
from subscriptions.models import Subscription

DAY = 24 * 3600
CONFIRM_MAX_AGE = 7 * DAY
LINK_MAX_AGE = 400 * DAY


def _subscription(object_id) -> Subscription:
    return get_object_or_404(Subscription, pk=int(object_id))


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        object_id, _nonce = read_token(token, CONFIRM, CONFIRM_MAX_AGE)
    except UsedToken:
        return render(
            request,
            "subscriptions/message.html",
            {"title": _("Already confirmed"), "text": _("This subscription is already confirmed.")},
        )
    except InvalidToken:
        return render(
            request,
            "subscriptions/message.html",
            {
                "title": _("This link does not work"),
                "text": _("The link is broken or has expired. Subscribe again to get a new one."),
            },
            status=400,
        )
    subscription = _subscription(object_id)
    if request.method == "POST":
        try:
            consume_token(token, CONFIRM, CONFIRM_MAX_AGE)
        except InvalidToken:
            pass  # a double click: the first one confirmed it
        actions.do_confirm(subscription)
        return render(
            request,
            "subscriptions/message.html",
            {
                "title": _("Subscription confirmed"),
                "text": _("From now on you will be told about what is new in this area."),
                "subscription": subscription,
            },
        )
    return render(request, "subscriptions/confirm.html", {"subscription": subscription})


@csrf_exempt  # the signed single-use token is the authority; mail clients POST without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        object_id, _nonce = read_token(token, UNSUBSCRIBE, LINK_MAX_AGE)
    except UsedToken:
        return render(
            request,
            "subscriptions/message.html",
            {
                "title": _("Unsubscribed"),
                "text": _("You are unsubscribed; nothing more will be sent about this subscription."),
            },
        )
    except InvalidToken:
        return render(
            request,
            "subscriptions/message.html",
            {
                "title": _("This link does not work"),
                "text": _("The link is broken or has expired. Use the link in a newer email."),
            },
            status=400,
        )
    subscription = _subscription(object_id)
    if request.method == "POST":
        try:
            consume_token(token, UNSUBSCRIBE, LINK_MAX_AGE)
        except InvalidToken:
            pass
        actions.do_unsubscribe(subscription)
        return render(
            request,
            "subscriptions/message.html",
            {
                "title": _("Unsubscribed"),
                "text": _("You are unsubscribed; nothing more will be sent about this subscription."),
            },
        )
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def manage(request, token):
    """Manage without an account: the signed link from every email (not single use)."""
    try:
        object_id, _nonce = read_token(token, MANAGE, LINK_MAX_AGE)
    except InvalidToken:
        raise Http404 from None
    subscription = _subscription(object_id)
    if subscription.unsubscribed_at:
        return render(
            request,
            "subscriptions/message.html",
            {
                "title": _("Unsubscribed"),
                "text": _("You are unsubscribed; nothing more will be sent about this subscription."),
            },
        )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "pause":
            subscription.paused = True
        elif action == "resume":
            subscription.paused = False
        elif action in Subscription.Frequency.values:
            subscription.frequency = action
        elif action == "unsubscribe":
            actions.do_unsubscribe(subscription)
            return redirect(request.path)
        subscription.save()
        messages.success(request, _("Your changes are saved."))
        return redirect(request.path)
    return render(request, "subscriptions/manage.html", {"subscription": subscription})
