"""The subscribe page and the follow button: HTML forms over the same validation as the API.

The page works without JavaScript (a district or all of Tbilisi); with it, the map fills the
hidden fields for a drawn area or a circle. Both go through SubscriptionInput, so a form and an
API client are held to the same rules and get the same messages.
"""

import json

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from places.models import District
from smartmap.lib.http import client_ip
from smartmap.lib.params import parse_int
from subscriptions import actions
from subscriptions.models import Subscription
from subscriptions.serializers import SubscriptionInput
from subscriptions.topics import EVENT_GROUPS, SUBTOPICS, TOPICS


def _form_data(post) -> dict:
    data = {
        "email": post.get("email", "").strip() or None,
        "name": post.get("name", "").strip(),
        "topics": post.getlist("topics"),
        "events": post.getlist("events"),
        "frequency": post.get("frequency", "instant"),
    }
    kind = post.get("area_kind", "")
    try:
        if kind == "polygon":
            # The text as sent: the one area rule reads it (depth-limited) and says what is wrong.
            data["area"] = post.get("area_geojson") or None
        elif kind == "circle":
            data["point"] = [float(post.get("lon", "")), float(post.get("lat", ""))]
            data["radius_m"] = post.get("radius_m")
        elif kind == "district":
            data["district"] = post.get("district", "")
        elif kind == "city":
            data["city"] = True
    except ValueError:
        data["area"] = "unreadable"
    return {k: v for k, v in data.items() if v is not None}


def _owned(request):
    """The subscription being edited (?edit=<id>), owned by the signed-in resident, or None."""
    pk = request.GET.get("edit") or request.POST.get("edit")
    if not pk or not request.user.is_authenticated:
        return None
    return get_object_or_404(Subscription, pk=_int(pk), user=request.user, unsubscribed_at__isnull=True)


def _values(subscription) -> dict:
    values = {
        "area_kind": subscription.area_kind,
        "frequency": subscription.frequency,
        "name": subscription.name,
        "district": str(subscription.district.number) if subscription.district else "",
        "radius_m": subscription.radius_m or 300,
        "edit": subscription.pk,
    }
    if subscription.area_kind == "polygon" and subscription.geom is not None:
        values["area_geojson"] = json.dumps(
            {"type": "Polygon", "coordinates": json.loads(subscription.geom.geojson)["coordinates"][0]}
        )
    if subscription.center is not None:
        values.update(lon=f"{subscription.center.x:.6f}", lat=f"{subscription.center.y:.6f}")
    return values


def subscribe(request):
    editing = _owned(request)
    if editing is not None and request.method != "POST":
        return _render_form(request, editing, _values(editing), editing.topics, editing.event_groups)
    if request.method != "POST":
        return _render_form(request, None, {"frequency": "instant"}, ["construction"], ["new", "status"])
    return _submit(request, editing)


def _render_form(request, editing, values, topics, events, errors=None, status=200):
    context = {
        "topics": TOPICS,
        "subtopics": {code: label for code, label in SUBTOPICS.items() if code.startswith("reports:")},
        "events": {k: v[0] for k, v in EVENT_GROUPS.items()},
        "districts": District.objects.all(),
        "values": values,
        "chosen_topics": topics,
        "chosen_events": events,
        "editing": editing,
        "errors": errors,
    }
    return render(request, "subscriptions/subscribe.html", context, status=status)


def _submit(request, editing):
    post = request.POST
    serializer = SubscriptionInput(data=_form_data(post), context={"user": request.user})
    if not serializer.is_valid():
        errors = {k: [str(m) for m in v] for k, v in serializer.errors.items()}
        return _render_form(request, editing, post, post.getlist("topics"), post.getlist("events"), errors, 400)
    d = serializer.validated_data
    if editing is not None:
        actions.do_update_subscription(
            editing,
            area=d["area_choice"],
            topics=d["topics"],
            groups=d["events"],
            frequency=d["frequency"],
            name=d["name"],
        )
        messages.success(request, _("Your changes are saved."))
        return redirect("profile")
    try:
        subscription = actions.do_subscribe(d, user=request.user, ip=client_ip(request))
    except actions.TooManyRequests as exc:
        errors = {"email": [str(exc)]}
        return _render_form(request, None, post, post.getlist("topics"), post.getlist("events"), errors, 429)
    except actions.LimitReached as exc:
        errors = {"subscriptions": [str(exc)]}
        return _render_form(request, None, post, post.getlist("topics"), post.getlist("events"), errors, 403)
    return render(request, "subscriptions/subscribed.html", {"subscription": subscription})


@require_POST
def follow(request):
    """Follow one item from its page: told of each of its changes."""
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    data = {
        "item": {"layer": request.POST.get("layer", ""), "id": _int(request.POST.get("item_id"))},
        "events": ["new"],
        "email": request.POST.get("email", "").strip() or None,
        "frequency": "instant",
    }
    serializer = SubscriptionInput(
        data={k: v for k, v in data.items() if v is not None}, context={"user": request.user}
    )
    if not serializer.is_valid():
        first = next(iter(serializer.errors.values()))[0]
        messages.error(request, first)
        return redirect(back)
    d = serializer.validated_data
    try:
        subscription = actions.do_create_subscription(
            area=d["area_choice"],
            topics=[],
            groups=["new", "status", "deadlines"],
            frequency="instant",
            email=d["email"],
            language=d["language"],
            user=request.user,
            ip=client_ip(request),
        )
    except (actions.TooManyRequests, actions.LimitReached) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("You follow this item now.")
        if subscription.confirmed_at
        else _("Almost done: confirm with the link we emailed you."),
    )
    return redirect(back)


def _int(value):
    try:
        return parse_int(value, 1)
    except ValueError:
        return None
