from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from layers.registry import get_layer
from places.models import District
from smartmap.fields import SingleLineField
from smartmap.lib.params import parse_district
from subscriptions.actions import AreaChoice
from subscriptions.areas import AreaError, circle, polygon_from_geojson
from subscriptions.models import Subscription
from subscriptions.topics import EVENT_GROUPS, known_topic

AREA_KEYS = ("area", "district", "point", "city", "item")


class SubscriptionInput(serializers.Serializer):
    """What a resident asks for. Exactly one of area / district / point (+ radius_m) / city / item."""

    email = serializers.EmailField(required=False)
    name = SingleLineField(required=False, allow_blank=True, max_length=120, default="")
    area = serializers.JSONField(required=False)
    district = serializers.CharField(required=False)
    point = serializers.JSONField(required=False)
    radius_m = serializers.FloatField(required=False)
    city = serializers.BooleanField(required=False)
    item = serializers.JSONField(required=False)
    topics = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    events = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    frequency = serializers.ChoiceField(choices=Subscription.Frequency.choices, default="instant")
    language = serializers.ChoiceField(choices=["ka", "en"], required=False)

    def validate_topics(self, topics):
        unknown = [t for t in topics if not known_topic(t)]
        if unknown:
            raise serializers.ValidationError(_("Unknown topic(s): %(topics)s.") % {"topics": ", ".join(unknown)})
        return list(dict.fromkeys(topics))

    def validate_events(self, events):
        unknown = [e for e in events if e not in EVENT_GROUPS]
        if unknown:
            raise serializers.ValidationError(_("Unknown event(s): %(events)s.") % {"events": ", ".join(unknown)})
        return list(dict.fromkeys(events))

    def validate(self, data):
        given = [key for key in AREA_KEYS if key in self.initial_data and self.initial_data[key] not in (None, False)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"area": [_("Give exactly one of: area, district, point with radius_m, city, item.")]}
            )
        key = given[0]
        try:
            data["area_choice"] = getattr(self, f"_area_{key}")(data)
        except AreaError as exc:
            raise serializers.ValidationError({key: [str(exc)]}) from None
        if key != "item" and not data.get("topics"):
            raise serializers.ValidationError({"topics": [_("Choose at least one topic.")]})
        user = self.context.get("user")
        if not data.get("email"):
            if user is None or not user.is_authenticated:
                raise serializers.ValidationError({"email": [_("An email address is needed to send you news.")]})
            data["email"] = user.email
        data.setdefault("language", get_language() if get_language() in ("ka", "en") else "ka")
        return data

    def _area_area(self, data):
        return AreaChoice(kind="polygon", geom=polygon_from_geojson(data["area"]))

    def _area_district(self, data):
        raw = str(data["district"]).strip()
        try:
            wanted = parse_district(raw)
        except ValueError as exc:
            raise AreaError(str(exc)) from None
        by = {"number": wanted} if isinstance(wanted, int) else {"slug": wanted}
        district = District.objects.filter(**by).first()
        if district is None:
            raise AreaError(_("There is no district %(district)s.") % {"district": raw})
        return AreaChoice(kind="district", district=district)

    def _area_point(self, data):
        point = data["point"]
        if isinstance(point, dict):
            point = [point.get("lon"), point.get("lat")]
        if not isinstance(point, list) or len(point) != 2:
            raise AreaError(_("The point must be [longitude, latitude]."))
        if "radius_m" not in data:
            raise AreaError(_("Give radius_m with the point."))
        center, geom = circle(point[0], point[1], data["radius_m"])
        return AreaChoice(kind="circle", geom=geom, center=center, radius_m=round(data["radius_m"]))

    def _area_city(self, data):
        if data["city"] is not True:
            raise AreaError(_('Use "city": true for all of Tbilisi.'))
        return AreaChoice(kind="city")

    def _area_item(self, data):
        item = data["item"]
        if not isinstance(item, dict) or not isinstance(item.get("layer"), str) or not isinstance(item.get("id"), int):
            raise AreaError(_('Name the item as {"layer": "…", "id": number}.'))
        layer = get_layer(item["layer"])
        if layer is None or not layer.model.objects.filter(pk=item["id"]).exists():
            raise AreaError(_("There is no such item on the map."))
        return AreaChoice(kind="item", item_layer=layer.slug, item_id=item["id"])


class SubscriptionOutput(serializers.ModelSerializer):
    confirmed = serializers.SerializerMethodField()
    events = serializers.ListField(source="event_groups")
    district = serializers.IntegerField(source="district.number", allow_null=True, default=None)
    area = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = [
            "id",
            "name",
            "email",
            "area_kind",
            "area",
            "district",
            "radius_m",
            "item_layer",
            "item_id",
            "topics",
            "events",
            "frequency",
            "language",
            "confirmed",
            "paused",
            "created_at",
        ]

    def get_confirmed(self, obj) -> bool:
        return obj.confirmed_at is not None

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": {}})
    def get_area(self, obj):
        import json

        return json.loads(obj.geom.geojson) if obj.geom is not None else None
