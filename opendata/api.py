"""The open data API: every dataset as CSV, GeoJSON or GeoPackage, its data dictionary, the catalogue, the dumps.

Public and read-only. Session authentication only so that a signed-in resident may export the
items of one of their own subscription areas (territory=subscription:<id>), as on the statistics
page; GET needs no CSRF token. Every answer carries the licence in a Link rel="license" header.
"""

import os
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from layers.api import FILTER_SCHEMAS, PublicView
from layers.filters import ParamErrors
from opendata import export
from opendata.dictionary import datasets, dictionary_json, get_dataset
from opendata.filters import parameter_names, select
from smartmap import schema
from stats.api import DESCRIBED as QUESTION_DESCRIBED

DESCRIBED = {
    "bbox": ("minlon,minlat,maxlon,maxlat (WGS 84): items touching the box", FILTER_SCHEMAS["bbox"]),
    "status": ("comma-separated status codes of the layer; '-' for none", FILTER_SCHEMAS["status"]),
    "district": ("district number or code (slug): the district an item is filed under", FILTER_SCHEMAS["district"]),
    "q": ("2-100 characters: text in the reference, title, address…; or a cadastral code", FILTER_SCHEMAS["q"]),
    **{name: (QUESTION_DESCRIBED[name], {"type": "string"}) for name in ("territory", "area", "kind", "category")},
    "from": ("YYYY-MM-DD: the current status began on or after this day (Tbilisi); the status history: "
             "the status was set on or after it", {"type": "string", "format": "date"}),
    "to": ("YYYY-MM-DD: … on or before this day", {"type": "string", "format": "date"}),
    "layer": ("status history only: comma-separated dataset slugs", {"type": "string"}),
}  # fmt: skip
FORMAT_TYPES = {
    "csv": ("text/csv", {"type": "string"}),
    "geojson": (schema.GEOJSON, schema.FEATURE_COLLECTION),
    "gpkg": ("application/geopackage+sqlite3", {"type": "string", "format": "binary"}),
}


class OpenDataView(PublicView):
    authentication_classes = [SessionAuthentication]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = export.link_header()
        return response


def dataset_or_404(slug: str):
    dataset = get_dataset(slug)
    if dataset is None:
        raise NotFound(
            _("There is no open dataset “%(slug)s”; the datasets are: %(known)s")
            % {"slug": slug, "known": ", ".join(datasets())}
        )
    return dataset


class Export(OpenDataView):
    @extend_schema(
        parameters=[
            OpenApiParameter("dataset", {"type": "string", "enum": ["construction-permits", "tree-permits", "projects",
                             "forum", "reports", "status-history"]}, OpenApiParameter.PATH),
            OpenApiParameter("fmt", {"type": "string", "enum": list(export.FORMATS)}, OpenApiParameter.PATH,
                             description="csv (lon, lat and WKT columns) | geojson | gpkg (GeoPackage)"),
            *[OpenApiParameter(name, spec, description=text) for name, (text, spec) in DESCRIBED.items()],
        ],
        responses={
            (200, media): OpenApiResponse(body, description="The dataset's public rows: its dictionary's fields only.")
            for media, body in FORMAT_TYPES.values()
        },
        summary="A dataset, whole or filtered, as CSV, GeoJSON or GeoPackage (streamed)",
        operation_id="opendata_export",
        description="Filters are the map API's (bbox, status, district, q) and the statistics' (territory, "
        "area, from, to, kind, category); parameters that do not apply to the dataset are ignored. "
        "The licence is in the Link rel=\"license\" header.",
    )  # fmt: skip
    def get(self, request, dataset, fmt):
        dataset = dataset_or_404(dataset)
        if fmt not in export.FORMATS:
            raise NotFound(
                _("There is no format “%(fmt)s”; the formats are: %(known)s")
                % {"fmt": fmt, "known": ", ".join(export.FORMATS)}
            )
        try:
            selection = select(dataset, request.query_params, request.user)
        except ParamErrors as exc:
            return exc.response()
        return file_response(dataset, selection, fmt)


def file_response(dataset, selection, fmt):
    rows = export.chunks(dataset, selection, fmt)
    name = f"smartmap-{dataset.slug}.{fmt}"
    if fmt == "gpkg":
        handle, path = tempfile.mkstemp(suffix=".gpkg")
        os.close(handle)
        os.unlink(path)  # pyogrio creates the file itself
        try:
            export.write_gpkg(dataset, rows, path)
            opened = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        finally:
            if os.path.exists(path):
                os.unlink(path)  # gone from the directory at once; the open handle still reads it
        response = FileResponse(opened, content_type=export.FORMATS[fmt], as_attachment=True, filename=name)
    else:
        stream = export.csv_stream(dataset, rows) if fmt == "csv" else export.geojson_stream(dataset, rows)
        response = StreamingHttpResponse(stream, content_type=export.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class Dictionary(OpenDataView):
    @extend_schema(
        parameters=[OpenApiParameter("dataset", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: schema.OBJECT},
        summary="A dataset's data dictionary: every field it publishes, its type and meaning in Georgian and English",
    )
    def get(self, request, dataset):
        dataset = dataset_or_404(dataset)
        return Response(
            {
                "dataset": dataset.slug,
                "title": {"ka": dataset.title_ka, "en": dataset.title_en},
                "description": {"ka": dataset.description_ka, "en": dataset.description_en},
                "licence": export.licence(),
                "filters": list(parameter_names(dataset)),
                "formats": list(export.FORMATS),
                "fields": dictionary_json(dataset),
            }
        )


class Catalogue(OpenDataView):
    @extend_schema(
        responses={(200, "application/ld+json"): OpenApiResponse(schema.OBJECT, description="dcat:Catalog")},
        summary="The DCAT-AP catalogue of every dataset and its distributions, as JSON-LD",
        operation_id="opendata_catalogue",
    )
    def get(self, request):
        from opendata.catalogue import catalogue

        return Response(catalogue(), content_type="application/ld+json")


class Dumps(OpenDataView):
    @extend_schema(
        responses={200: schema.LIST_OF_OBJECTS},
        summary="The nightly full dumps kept, newest first: each file's size, SHA-256, record count and date",
    )
    def get(self, request):
        from django.conf import settings

        from opendata.actions import list_dumps

        return Response(list_dumps(settings.SITE_URL))
