"""The map layers' public API: the layer list, GeoJSON features, vector tiles, area counts, search.

Views only validate, call layers.features / layers.tiles / layers.search and answer. Everything is
public and read-only (the area count is a POST only because a drawn shape does not fit in a URL), so
no view authenticates: no session is loaded, no CSRF token is needed, and a cached tile is answered
without a database query. The answer is JSON (or MVT) whatever the client's Accept header says.
"""

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from layers import features, tiles
from layers.filters import FILTERS, ParamErrors, parse_filters, parse_page, resolve_district
from layers.models import Event, timeline
from layers.registry import all_layers, get_layer
from layers.search import search
from layers.serializers import item_feature, layer_summary
from places.areas import AreaError, drawn_area
from smartmap import schema
from smartmap.api import bad_request
from smartmap.parsers import JSONObjectParser

GEOJSON = "application/geo+json"
COUNTS_SECONDS = 30
TILE_FILTERS = ("status", "district", "from", "to", "q")


class _JSONWhateverAccepted(BaseContentNegotiation):
    """Tiles and GeoJSON are asked for with all sorts of Accept headers; errors are JSON anyway."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _JSONWhateverAccepted


def _layer(slug: str):
    layer = get_layer(slug)
    if layer is None:
        raise NotFound(_("There is no map layer “%(slug)s”.") % {"slug": slug})
    return layer


def _filter_parameters(names=FILTERS):
    described = {
        "bbox": "minlon,minlat,maxlon,maxlat (WGS 84), at most 1 square degree",
        "status": "comma-separated status codes of the layer; '-' for none",
        "district": "district number or code (slug)",
        "from": "YYYY-MM-DD: status began on or after this day (Tbilisi time)",
        "to": "YYYY-MM-DD: status began on or before this day (Tbilisi time)",
        "q": "2-100 characters: text in the item's reference, title, address…; or a cadastral code",
    }
    return [OpenApiParameter(name, FILTER_SCHEMAS[name], description=described[name]) for name in names]


_NO_CONTROLS = r"^[^\u0000-\u001f\u007f-\u009f]*$"
FILTER_SCHEMAS = {
    "bbox": {"type": "string", "pattern": r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$"},
    "status": {"type": "string", "pattern": r"^(-|[a-z_]+(,[a-z_]+)*)$"},
    "district": {"type": "string", "pattern": r"^([1-9][0-9]{0,2}|[a-z][a-z0-9_-]{0,49})$"},
    "from": {"type": "string", "format": "date"},
    "to": {"type": "string", "format": "date"},
    "q": {"type": "string", "minLength": 2, "maxLength": 100, "pattern": _NO_CONTROLS},
}


class LayerList(PublicView):
    @extend_schema(responses={200: schema.LIST_OF_OBJECTS}, summary="The map's layers, their statuses and counts")
    def get(self, request):
        layers = all_layers()
        counts = cache.get(tiles.COUNTS_KEY)
        if counts is None:
            counts = tiles.layer_counts(layers)
            cache.set(tiles.COUNTS_KEY, counts, COUNTS_SECONDS)  # dropped after each import
        return Response([layer_summary(layer, counts.get(layer.slug, {})) for layer in layers])


class FeatureList(PublicView):
    @extend_schema(
        parameters=[
            *_filter_parameters(),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, description="default 500"),
            OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": 100000}),
        ],
        responses={
            (200, schema.GEOJSON): OpenApiResponse(schema.FEATURE_COLLECTION, description="GeoJSON FeatureCollection")
        },
        summary="A layer's public items as GeoJSON, newest status first",
        operation_id="layers_features_list",
    )
    def get(self, request, slug):
        layer = _layer(slug)
        try:
            filters, (limit, offset) = _parse_together(
                lambda: parse_filters(layer, request.query_params), lambda: parse_page(request.query_params)
            )
            resolve_district(filters)
        except ParamErrors as exc:
            return exc.response()
        page, more = features.feature_page(layer, filters, limit, offset)
        links = {
            "next": _page_url(request, limit, offset + limit) if more else None,
            "previous": _page_url(request, limit, max(0, offset - limit)) if offset else None,
        }
        return HttpResponse(features.collection_text(page, links), content_type=GEOJSON)


def _parse_together(*parsers):
    """Run every parser and report all their errors at once."""
    results, errors = [], {}
    for parse in parsers:
        try:
            results.append(parse())
        except ParamErrors as exc:
            errors.update(exc.errors)
    if errors:
        raise ParamErrors(errors)
    return results


def _page_url(request, limit: int, offset: int) -> str:
    params = request.query_params.copy()
    params["limit"], params["offset"] = str(limit), str(offset)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class FeatureDetail(PublicView):
    @extend_schema(
        responses={
            (200, schema.GEOJSON): OpenApiResponse(schema.FEATURE, description="GeoJSON Feature with its timeline")
        },
        summary="One public item with all its public details and its timeline",
        operation_id="layers_feature_retrieve",
    )
    def get(self, request, slug, pk):
        layer = _layer(slug)
        item = features.public_item(layer, pk)
        if item is None:
            raise NotFound(_("There is no such item on this layer."))
        history = timeline(Event.objects.of_item(layer.slug, item.pk))
        return Response(item_feature(layer, item, history), content_type=GEOJSON)


class Tile(PublicView):
    @extend_schema(
        parameters=[
            *_filter_parameters(TILE_FILTERS),
            OpenApiParameter("z", {"type": "integer", "minimum": 0, "maximum": tiles.MAX_ZOOM}, OpenApiParameter.PATH),
            *(
                OpenApiParameter(n, {"type": "integer", "minimum": 0}, OpenApiParameter.PATH, description="< 2**z")
                for n in ("x", "y")
            ),
        ],
        responses={
            (200, tiles.MVT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Mapbox Vector Tile"),
            304: OpenApiResponse(description="Not modified (If-None-Match)"),
        },
        summary="A Mapbox Vector Tile of the layer: points, or counted cells below aggregate_below_zoom",
    )
    def get(self, request, slug, z, x, y):
        layer = _layer(slug)
        try:
            z, x, y = tiles.parse_tile(z, x, y)
            filters = parse_filters(layer, request.query_params, TILE_FILTERS)
        except ParamErrors as exc:
            return exc.response()
        # The version is read before anything else: see tiles.on_events_recorded for why that order.
        version = tiles.data_version(layer.slug)
        key = tiles.tile_cache_key(layer.slug, version, z, x, y, filters) if version else None
        hit = tiles.cached_tile(key)
        if hit is not None:
            etag, data = hit
        else:
            try:
                resolve_district(filters)
            except ParamErrors as exc:
                return exc.response()
            data = tiles.render_tile(layer, z, x, y, filters)
            etag = tiles.etag_of(data)
            tiles.store_tile(key, etag, data, layer.tile_cache_seconds)
        return _tile_response(request, data, etag)


def _tile_response(request, data: bytes, etag: str) -> HttpResponse:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in wanted or "*" in wanted or f"W/{etag}" in wanted:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=tiles.MVT_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={tiles.MAX_AGE}"
    return response


class AreaCount(PublicView):
    parser_classes = [JSONObjectParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT},
        summary="Count a layer's public items inside a drawn area",
        description='Body: {"area": GeoJSON Polygon or MultiPolygon, "status": "a,b", "district": …, '
        '"from": …, "to": …}. The filters may also be given in the query string.',
    )
    def post(self, request, slug):
        layer = _layer(slug)
        if not isinstance(request.data, dict):
            return bad_request(_("expected a JSON object with an “area” member"))
        params = {name: request.query_params.get(name) for name in TILE_FILTERS}
        params.update({name: _as_text(request.data[name]) for name in TILE_FILTERS if name in request.data})
        params = {name: value for name, value in params.items() if value is not None}
        try:
            filters, area = _parse_together(lambda: parse_filters(layer, params), lambda: _area(request.data))
            resolve_district(filters)
        except ParamErrors as exc:
            return exc.response()
        by_status = features.count_in_area(layer, area, filters)
        return Response({"total": sum(by_status.values()), "by_status": by_status})


def _as_text(value) -> str:
    return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _area(data: dict):
    if data.get("area") is None:
        raise ParamErrors({"area": [_("draw an area: a GeoJSON Polygon or MultiPolygon")]})
    try:
        return drawn_area(data["area"])
    except AreaError as exc:
        raise ParamErrors({"area": [str(exc)]}) from None


class Search(PublicView):
    @extend_schema(
        parameters=[OpenApiParameter("q", FILTER_SCHEMAS["q"], required=True, description="2-100 characters")],
        responses={200: schema.LIST_OF_OBJECTS},
        summary="The map's search box: items by reference or cadastral code, places, words",
    )
    def get(self, request):
        q = " ".join((request.query_params.get("q") or "").split())
        if not 2 <= len(q) <= 100:
            return bad_request(_("type 2 to 100 characters"), "q")
        return Response(search(q))
