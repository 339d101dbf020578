"""The statistics API: the same questions as the statistics page, answered as JSON.

Public and read-only. Session authentication only so that a signed-in resident may ask about one
of their own subscription areas (territory=subscription:<id>); GET needs no CSRF token.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response

from layers.api import PublicView
from layers.filters import ParamErrors
from layers.models import TreePermit
from layers.registry import all_layers
from stats import engine, questions
from stats.dimensions import dimensions, value_labels
from stats.serializers import answer_json, trees_json
from stats.territories import territory_choices
from stats.trees import tree_counts

DESCRIBED = {
    "layer": "comma-separated layer slugs (see /api/v1/stats/options/)",
    "status": "comma-separated status codes; each applies to the chosen layers that have it",
    "kind": "comma-separated kinds (construction class 1-5, felling/transplanting, a department's code)",
    "category": "comma-separated categories (a tree permit's reason, a report category's code)",
    "territory": "city | district:<number or code> | subdistrict:<1-25> | area | subscription:<id> (yours)",
    "area": "with territory=area: a GeoJSON Polygon or MultiPolygon (WGS 84), at most 500 vertices",
    "from": "YYYY-MM-DD: the item's current status began on or after this day (Tbilisi time)",
    "to": "YYYY-MM-DD: … on or before this day",
    "group": "month | quarter | year | district | status | kind | category (default: a total)",
    "compare": "period (with from_b/to_b) | territory (with territory_b/area_b)",
    "from_b": "start of period B",
    "to_b": "end of period B",
    "territory_b": "territory B, written as territory",
    "area_b": "with territory_b=area: its shape",
}


class StatsView(PublicView):
    authentication_classes = [SessionAuthentication]


class Question(StatsView):
    @extend_schema(
        parameters=[OpenApiParameter(n, OpenApiTypes.STR, description=d) for n, d in DESCRIBED.items()],
        responses={200: OpenApiTypes.OBJECT},
        summary="Count, group and compare any layer by status, kind, category, territory and period",
        description="Exact: equal to a plain COUNT … GROUP BY over the public items. A row's relative "
        "change is (A − B) / B, null when B is 0.",
    )
    def get(self, request):
        try:
            question = questions.parse_question(request.query_params, request.user)
        except ParamErrors as exc:
            return exc.response()
        answer = questions.answer(question)
        return Response(answer_json(answer, permalink_of(request)))


def permalink_of(request) -> str:
    from django.urls import reverse

    params = request.GET.copy()
    for name in list(params):
        if name not in questions.PARAMS:
            del params[name]
    return request.build_absolute_uri(reverse("stats:page") + ("?" + params.urlencode() if params else ""))


class Options(StatsView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="What a statistical question may name")
    def get(self, request):
        return Response(
            {
                "layers": [_layer_options(layer) for layer in all_layers()],
                "territories": [{"code": code, "label": label} for code, label in territory_choices()],
                "groups": list(engine.GROUPS),
                "comparisons": list(questions.COMPARISONS),
            }
        )


def _layer_options(layer) -> dict:
    dims = dimensions(layer.slug)
    options = {
        "slug": layer.slug,
        "name": str(layer.name),
        "statuses": [{"code": c, "label": str(label)} for c, label in layer.statuses()],
    }
    for name, title in (("kind", dims.kind_name), ("category", dims.category_name)):
        if title:
            options[name] = {
                "name": str(title),
                "values": [
                    {"code": code, "label": str(label)}
                    for code, label in value_labels(layer.slug, name).items()
                    if code
                ],
            }
    return options


class Trees(StatsView):
    @extend_schema(
        parameters=[
            OpenApiParameter(n, OpenApiTypes.STR, description=DESCRIBED[n])
            for n in ("territory", "area", "from", "to", "status", "kind")
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Trees felled and transplanted, by species and trunk diameter",
    )
    def get(self, request):
        params = request.query_params
        try:
            question = questions.parse_question({**params.dict(), "layer": "tree-permits"}, request.user)
            territory = question.sides[0].territory
        except ParamErrors as exc:
            return exc.response()
        side = question.sides[0]
        flt = question.layer_filter(question.layers[0])
        rows = tree_counts(territory, side.date_from, side.date_to, flt.statuses, flt.kinds)
        labels = dict(TreePermit.Kind.choices)
        return Response(
            {"territory": territory.label, "total": sum(r.trees for r in rows), "rows": trees_json(rows, labels)}
        )
