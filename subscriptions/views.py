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

from accounts.tokens import InvalidToken, consume_quietly, link_state, read_token
from smartmap.views import message
from subscriptions import actions
from subscriptions.emails import CONFIRM, MANAGE, UNSUBSCRIBE
from subscriptions.models import Subscription

DAY = 24 * 3600
CONFIRM_MAX_AGE = 7 * DAY
LINK_MAX_AGE = 400 * DAY


def _subscription(object_id) -> Subscription:
    return get_object_or_404(Subscription, pk=int(object_id))


def _broken(request, text):
    return message(request, _("This link does not work"), text, status=400)


def _unsubscribed(request):
    return message(
        request, _("Unsubscribed"), _("You are unsubscribed; nothing more will be sent about this subscription.")
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    state, object_id = link_state(token, CONFIRM, CONFIRM_MAX_AGE)
    if state == "used":
        return message(request, _("Already confirmed"), _("This subscription is already confirmed."))
    if state == "invalid":
        return _broken(request, _("The link is broken or has expired. Subscribe again to get a new one."))
    subscription = _subscription(object_id)
    if request.method != "POST":
        return render(request, "subscriptions/confirm.html", {"subscription": subscription})
    consume_quietly(token, CONFIRM, CONFIRM_MAX_AGE)
    actions.do_confirm(subscription)
    return message(
        request, _("Subscription confirmed"), _("From now on you will be told about what is new in this area.")
    )


@csrf_exempt  # the signed single-use token is the authority; mail clients POST without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    state, object_id = link_state(token, UNSUBSCRIBE, LINK_MAX_AGE)
    if state == "used":
        return _unsubscribed(request)
    if state == "invalid":
        return _broken(request, _("The link is broken or has expired. Use the link in a newer email."))
    subscription = _subscription(object_id)
    if request.method != "POST":
        return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})
    consume_quietly(token, UNSUBSCRIBE, LINK_MAX_AGE)
    actions.do_unsubscribe(subscription)
    return _unsubscribed(request)


@require_http_methods(["GET", "POST"])
def manage(request, token):
    """Manage without an account: the signed link from every email (not single use)."""
    try:
        object_id, _nonce = read_token(token, MANAGE, LINK_MAX_AGE)
    except InvalidToken:
        raise Http404 from None
    subscription = _subscription(object_id)
    if subscription.unsubscribed_at:
        return _unsubscribed(request)
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
