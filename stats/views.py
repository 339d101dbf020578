"""The statistics page (სტატისტიკა): the question builder, the answer's chart, table and map, downloads.

Server-rendered: the form is a GET form and the table is in the HTML, so the page works without
JavaScript and its URL is the question's permalink. static/js/stats/page.js adds the chart, the
choropleth for "by district" and drawing an area on a map.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from layers.filters import ParamErrors
from layers.registry import all_layers
from smartmap.sharing import share_for
from stats import downloads, questions
from stats.api import _layer_options
from stats.serializers import answer_json
from stats.territories import territory_choices


def page(request):
    answer, errors = None, {}
    if request.GET.get("layer"):
        try:
            answer = questions.answer(questions.parse_question(request.GET, request.user))
        except ParamErrors as exc:
            errors = exc.errors
    context = {
        "answer": answer,
        "errors": errors,
        "chart": answer_json(answer) if answer else None,
        # One layer's name on every row only squeezes the figures off a phone's screen.
        "several_layers": bool(answer) and len(answer.question.layers) > 1,
        "options": _form_options(request),
        "query": request.GET.urlencode(),
        "asked": request.GET,
        "chosen": _chosen(request.GET),
        "tile_url": settings.MAP_TILE_URL,
        # The question is in the address, so a shared link opens the same answer.
        "share": share_for(
            request,
            _("Statistics"),
            _("Count any layer by status, kind, territory and period on Smart Map Tbilisi."),
            path=request.get_full_path(),
            kind="website",
        ),
    }
    return render(request, "stats/page.html", context, status=400 if errors else 200)


def download(request, fmt):
    try:
        answer = questions.answer(questions.parse_question(request.GET, request.user))
    except ParamErrors as exc:
        context = {
            "errors": exc.errors,
            "options": _form_options(request),
            "asked": request.GET,
            "chosen": _chosen(request.GET),
        }
        return render(request, "stats/page.html", context, status=400)
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(downloads.as_xlsx(answer), content_type=content_type)
    else:
        response = HttpResponse(downloads.as_csv(answer), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="smartmap-statistics.{fmt}"'
    return response


def _chosen(params) -> dict[str, set[str]]:
    """The ticked values of the list parameters, for the form's checkboxes."""
    return {
        name: {v.strip() for value in params.getlist(name) for v in value.split(",") if v.strip()}
        for name in ("layer", "status", "kind", "category")
    }


def _form_options(request) -> dict:
    subscriptions = []
    if request.user.is_authenticated:
        from subscriptions.models import Subscription

        mine = Subscription.objects.filter(user=request.user, unsubscribed_at__isnull=True).exclude(area_kind="item")
        subscriptions = [(f"subscription:{s.pk}", s.name or s.get_area_kind_display()) for s in mine]
    groups = [
        ("", _("total only")),
        ("month", _("by month")),
        ("quarter", _("by quarter")),
        ("year", _("by year")),
        ("district", _("by district")),
        ("status", _("by status")),
        ("kind", _("by kind")),
        ("category", _("by category")),
    ]
    return {
        "layers": [_layer_options(layer) for layer in all_layers()],
        "territories": territory_choices(),
        "subscriptions": subscriptions,
        "groups": groups,
    }
