"""Subscriptions API: create (anyone, with double opt-in), list and manage (owners), topics, preview."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from smartmap import schema
from smartmap.lib.http import client_ip
from subscriptions import actions, preview
from subscriptions.areas import MAX_AREA_KM2, MAX_RADIUS_M, MAX_VERTICES, MIN_AREA_M2, MIN_RADIUS_M
from subscriptions.models import Subscription
from subscriptions.serializers import SubscriptionInput, SubscriptionOutput
from subscriptions.topics import EVENT_GROUPS, SUBTOPICS, TOPICS


class SubscriptionList(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: SubscriptionOutput(many=True), **schema.error_responses(401)})
    def get(self, request):
        if not request.user.is_authenticated:
            return Response({"detail": _("Log in to see your subscriptions."), "code": "not_authenticated"}, status=401)
        subscriptions = Subscription.objects.filter(user=request.user, unsubscribed_at__isnull=True)
        return Response(SubscriptionOutput(subscriptions, many=True).data)

    @extend_schema(request=SubscriptionInput, responses={201: SubscriptionOutput, **schema.error_responses(403, 429)})
    def post(self, request):
        """Subscribe. 403 `limit_reached` when the account (or address) has as many as it may have."""
        data = _validated(request)
        try:
            subscription = actions.do_subscribe(data, user=request.user, ip=client_ip(request))
        except actions.TooManyRequests as exc:
            return Response({"detail": str(exc), "code": "throttled"}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        except actions.LimitReached as exc:
            return Response({"detail": str(exc), "code": "limit_reached"}, status=status.HTTP_403_FORBIDDEN)
        body = SubscriptionOutput(subscription).data
        body["confirmation"] = "not needed" if subscription.confirmed_at else "sent"
        return Response(body, status=status.HTTP_201_CREATED)


def _validated(request) -> dict:
    serializer = SubscriptionInput(data=request.data, context={"user": request.user})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SubscriptionDetail(APIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SubscriptionOutput

    def _own(self, request, pk):
        return get_object_or_404(Subscription, pk=pk, user=request.user, unsubscribed_at__isnull=True)

    @extend_schema(responses=SubscriptionOutput)
    def get(self, request, pk):
        return Response(SubscriptionOutput(self._own(request, pk)).data)

    @extend_schema(responses=SubscriptionOutput)
    def patch(self, request, pk):
        subscription = self._own(request, pk)
        changes = {k: request.data[k] for k in ("name", "paused", "frequency") if k in request.data}
        if "frequency" in changes and changes["frequency"] not in Subscription.Frequency.values:
            return Response({"detail": _("Unknown frequency."), "code": "invalid"}, status=400)
        if "paused" in changes and not isinstance(changes["paused"], bool):
            return Response({"detail": _("paused must be true or false."), "code": "invalid"}, status=400)
        if "name" in changes:
            try:
                changes["name"] = SubscriptionInput().fields["name"].run_validation(changes["name"])
            except ValidationError as exc:
                raise ValidationError({"name": exc.detail}) from None
        for key, value in changes.items():
            setattr(subscription, key, value)
        subscription.save()
        return Response(SubscriptionOutput(subscription).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        actions.do_unsubscribe(self._own(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(responses={200: schema.OBJECT})
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def topics(request):
    """The topic and event names a subscription can use, with labels in the request's language."""
    return Response(
        {
            "topics": [{"code": code, "label": str(label)} for code, label in {**TOPICS, **SUBTOPICS}.items()],
            "events": [{"code": code, "label": str(label)} for code, (label, _kinds) in EVENT_GROUPS.items()],
            "frequencies": [{"code": c, "label": str(label)} for c, label in Subscription.Frequency.choices],
            "limits": {
                "max_vertices": MAX_VERTICES,
                "min_area_m2": MIN_AREA_M2,
                "max_area_km2": MAX_AREA_KM2,
                "min_radius_m": MIN_RADIUS_M,
                "max_radius_m": MAX_RADIUS_M,
            },
        }
    )


@extend_schema(request=SubscriptionInput, responses={200: schema.OBJECT})
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def preview_view(request):
    """About how many notifications a month the subscription would have brought over the last year."""
    data = dict(request.data)
    data.setdefault("email", "preview@example.invalid")
    serializer = SubscriptionInput(data=data, context={"user": request.user})
    serializer.is_valid(raise_exception=True)
    d = serializer.validated_data
    return Response(preview.estimate(d["area_choice"], d["topics"], d["events"]))
