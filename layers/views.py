"""Public pages of the layers: item pages, list views, the projects index and project pages.

Every page here works without JavaScript (keyboard and screen-reader users, slow phones): the list
filter is a plain GET form validated by ListFilter, and a bad value (a malformed date, a status the
layer does not have) is reported in the reader's language next to the results, never as an error
page. The map is an enhancement linked from each page through its permalink (see static/js/permalink.js
for the hash format: ``#z/lat/lon&layers=a,b&status.<slug>=x,y``).
"""

import json
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layers.models import Event, EventKind, InfrastructureProject, timeline
from layers.registry import get_layer
from places.models import District
from smartmap.lib.i18n import capfirst
from smartmap.sharing import share_for

PAGE_SIZE = 25
PROJECTS_PAGE_SIZE = 12
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_HELP = _("Enter the date as YYYY-MM-DD, for example 2025-03-31.")


def _layer_or_404(slug: str):
    layer = get_layer(slug)
    if layer is None:
        raise Http404
    return layer


class ListFilter(forms.Form):
    """The list page's filter: the same filters as the map (status, district, dates, text)."""

    q = forms.CharField(label=_("Text"), required=False, max_length=100)
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("“%(value)s” is not a status of this layer.")},
    )
    district = forms.TypedChoiceField(
        label=_("District"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("There is no district “%(value)s”.")},
    )

    def __init__(self, layer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = layer.statuses()
        self.fields["district"].choices = [("", _("All districts"))] + [
            (d.number, d.name) for d in District.objects.only("number", "name_ka", "name_en")
        ]
        # "from" is a Python keyword, so these two are added by name.
        for name, label in (("from", _("Status since, from")), ("to", _("Status since, to"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                input_formats=DATE_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": DATE_HELP},
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
        return data

    def problems(self) -> list[str]:
        """Each error as "Field: what is wrong", for the message above the results."""
        return [
            f"{self.fields[name].label}: {message}" if name in self.fields else message
            for name, messages in self.errors.items()
            for message in messages
        ]


def filter_items(layer, data: dict):
    """The layer's public items narrowed by the valid part of a ListFilter's cleaned data."""
    # What the map shows of the layer (its registry rule): a forum thread without a place is not listed.
    items = layer.public_items().select_related("district")
    if data.get("status"):
        items = items.filter(status__in=data["status"])
    if data.get("district"):
        items = items.filter(district__number=data["district"])
    # __date compares in the current time zone (Asia/Tbilisi), the day a resident would name.
    if data.get("from"):
        items = items.filter(status_since__date__gte=data["from"])
    if data.get("to"):
        items = items.filter(status_since__date__lte=data["to"])
    if data.get("q"):
        text = Q()
        for name in layer.search_fields:
            text |= Q(**{f"{name}__icontains": data["q"]})
        items = items.filter(text)
    return items


def map_link(layer_slug: str, data: dict, position: str = "") -> str:
    """The map page's permalink showing one layer with these filters (static/js/permalink.js)."""
    params = {"layers": layer_slug}
    if data.get("status"):
        params[f"status.{layer_slug}"] = ",".join(data["status"])
    if data.get("district"):
        params[f"district.{layer_slug}"] = data["district"]
    for name in ("from", "to"):
        if data.get(name):
            params[f"{name}.{layer_slug}"] = data[name].isoformat()
    if data.get("q"):
        params[f"q.{layer_slug}"] = data["q"]
    query = urlencode(params, safe=",")
    return f"{reverse('home')}#{position + '&' if position else ''}{query}"


def _label_statuses(layer, items):
    for item in items:
        item.status_label = layer.status_label(item.status)
        item.status_color = layer.status_colors.get(item.status, layer.color)


def item_list(request, layer):
    layer = _layer_or_404(layer)
    form = ListFilter(layer, request.GET or None)
    if form.is_bound:
        form.is_valid()  # the valid fields filter; the invalid ones are reported, not fatal
    data = form.cleaned_data if form.is_bound else {}
    page = Paginator(filter_items(layer, data), PAGE_SIZE).get_page(request.GET.get("page"))
    _label_statuses(layer, page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "layers/item_list.html",
        {
            "layer": layer,
            "form": form,
            "problems": form.problems() if form.is_bound else [],
            "page": page,
            "query": query.urlencode(),
            "map_link": map_link(layer.slug, data),
        },
    )


def _safe_documents(documents) -> list[dict]:
    """Imported document links, keeping only web links (never javascript: or data: URLs)."""
    safe = []
    for doc in documents or []:
        url = str(doc.get("url", "")) if isinstance(doc, dict) else ""
        if url.startswith(("https://", "http://", "/")):
            safe.append({"url": url, "title": doc.get("title") or url.rsplit("/", 1)[-1]})
    return safe


def _timeline(layer, item) -> list[dict]:
    """The item's dated history, oldest first, with status labels from the registry."""
    kinds = dict(EventKind.choices)
    events = timeline(Event.objects.of_item(layer.slug, item.pk))
    return [
        {
            "kind": kinds.get(e.kind, e.kind),
            "code": e.kind,
            "old_status": layer.status_label(e.old_status) if e.old_status else "",
            "new_status": layer.status_label(e.new_status) if e.new_status else "",
            "new_status_code": e.new_status,
            "occurred_at": e.occurred_at,
            "date_basis": e.date_basis,
        }
        for e in events
    ]


def _heading(item) -> str:
    """The page's title: tree permits often have none, so their kind and address stand in."""
    if item.title:
        return item.title
    if hasattr(item, "get_kind_display") and item.kind:
        return ", ".join(part for part in (capfirst(item.get_kind_display()), item.address) if part)
    return item.reference


def _page_context(request, layer, item) -> dict:
    point = item.point or item.geom.point_on_surface
    heading, status_label = _heading(item), layer.status_label(item.status)
    return {
        "layer": layer,
        "item": item,
        "heading": heading,
        "share": share_for(
            request,
            heading,
            " · ".join(str(part) for part in (layer.name, status_label, item.address) if part),
            path=item.get_absolute_url(),
            geom=item.geom,
            district=item.district,
        ),
        "status_label": status_label,
        "status_color": layer.status_colors.get(item.status, layer.color),
        "timeline": _timeline(layer, item),
        "documents": _safe_documents(item.documents),
        "geometry": json.loads(item.geom.json),
        "tile_url": settings.MAP_TILE_URL,
        "map_link": map_link(layer.slug, {}, position=f"17/{point.y:.5f}/{point.x:.5f}"),
    }


def item_detail(request, layer, pk):
    layer = _layer_or_404(layer)
    item = get_object_or_404(layer.public_items().select_related("district"), pk=pk)
    if isinstance(item, InfrastructureProject):
        return redirect(item)  # a project has its own page
    context = _page_context(request, layer, item)
    context["facts_template"] = [f"layers/facts/{layer.topic}.html", "layers/facts/default.html"]
    if hasattr(item, "consultation_days_left"):
        context["days_left"] = item.consultation_days_left()
    return render(request, "layers/item_detail.html", context)


def project_index(request):
    projects = InfrastructureProject.objects.public().select_related("district").order_by("-status_since", "-id")
    page = Paginator(projects, PROJECTS_PAGE_SIZE).get_page(request.GET.get("page"))
    layer = get_layer(InfrastructureProject.LAYER)
    _label_statuses(layer, page)
    return render(request, "layers/project_index.html", {"page": page, "layer": layer})


def project_detail(request, slug):
    project = get_object_or_404(
        InfrastructureProject.objects.public().select_related("district").prefetch_related("photos", "milestones"),
        slug=slug,
    )
    layer = get_layer(project.LAYER)
    return render(request, "layers/project_detail.html", _page_context(request, layer, project))
