"""Atom feeds: a private feed per subscription (its secret URL is the key) and public area feeds.

The private feed lists what the subscription matched, sent or not yet sent; the public feed
lists recent events inside a bounding box, optionally for some topics, for anyone's feed reader.
"""

from django.contrib.gis.geos import Polygon
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from layers.models import Event
from smartmap.lib.coordinates import parse_bbox
from subscriptions.emails import absolute, describe
from subscriptions.models import Subscription
from subscriptions.topics import known_topic

LIMIT = 100


class _EventFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, event):
        d = describe(event)
        return f"{d['what']}: {d['layer']} {d['reference']} — {d['title']}"

    def item_description(self, event):
        d = describe(event)
        return " · ".join(part for part in (d["status"], d["district"]) if part)

    def item_link(self, event):
        return describe(event)["url"] or absolute("/")

    def item_guid(self, event):
        return f"smartmap-event-{event.pk}"

    def item_pubdate(self, event):
        return event.recorded_at

    def item_updateddate(self, event):
        return event.recorded_at


class SubscriptionFeed(_EventFeed):
    def get_object(self, request, token):
        return get_object_or_404(Subscription, feed_token=token, unsubscribed_at__isnull=True)

    def title(self, subscription):
        return _("Smart Map: %(name)s") % {"name": subscription}

    def link(self, subscription):
        return absolute("/")

    def items(self, subscription):
        rows = subscription.deliveries.order_by("-created_at").values_list("event_id", "also_events")[:LIMIT]
        ids = {i for first, also in rows for i in (first, *also)}  # a row carries a batch of events
        return Event.objects.filter(id__in=ids).public().select_related("district").order_by("-recorded_at")[:LIMIT]


class AreaFeed(_EventFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            self.bbox = Polygon.from_bbox(parse_bbox(request.GET.get("bbox", "")))
        except ValueError as exc:
            return HttpResponseBadRequest(f"bbox: {exc}", content_type="text/plain; charset=utf-8")
        self.bbox.srid = 4326
        self.topics = [t for t in request.GET.get("topics", "").split(",") if t]
        if any(not known_topic(t) for t in self.topics):
            return HttpResponseBadRequest(_("Unknown topic."), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Smart Map: news in an area of Tbilisi")

    def link(self):
        return absolute("/")

    def items(self):
        events = Event.objects.public().filter(geom__intersects=self.bbox).select_related("district")
        if self.topics:
            wanted = Q()
            for topic in self.topics:  # "reports" also means "reports:street-lighting"
                wanted |= Q(topic=topic) | Q(topic__startswith=f"{topic}:")
            events = events.filter(wanted)
        return events.order_by("-recorded_at")[:LIMIT]
