"""The open data page (ღია მონაცემები): the datasets, their formats and dictionaries, the licence, the dumps.

Server-rendered and without JavaScript: the filter form is a GET form to `download`, which checks
the choice with the export's own parsers (a 400 page naming each problem) and redirects to the
export's address, so a download link is also a permalink.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layers.filters import ParamErrors
from opendata import export
from opendata.actions import list_dumps
from opendata.dictionary import GEOMETRY_COLUMNS, datasets, get_dataset
from opendata.filters import parameter_names, select
from stats.territories import territory_choices

FORMAT_LABELS = {"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage"}


def page(request, errors=None, status=200):
    language = get_language()
    listed = []
    for dataset in datasets().values():
        fields = list(dataset.fields) + (list(GEOMETRY_COLUMNS.values()) if dataset.spatial else [])
        listed.append(
            {
                "slug": dataset.slug,
                "title": dataset.title(language),
                "description": dataset.description(language),
                "fields": [(f.name, f.type, f.meaning(language)) for f in fields],
                "downloads": [
                    (FORMAT_LABELS[fmt], reverse("opendata-export", kwargs={"dataset": dataset.slug, "fmt": fmt}))
                    for fmt in export.FORMATS
                ],
                "dictionary_url": reverse("opendata-dictionary", kwargs={"dataset": dataset.slug}),
            }
        )
    context = {
        "datasets": listed,
        "formats": FORMAT_LABELS,
        "licence": export.licence(),
        "dumps": list_dumps()[:1],
        "territories": territory_choices(),
        "errors": errors or {},
        "asked": request.GET,
        "catalogue_url": reverse("opendata-catalogue"),
        "dumps_url": reverse("opendata-dumps"),
    }
    return render(request, "opendata/page.html", context, status=status)


def download(request):
    """The no-JavaScript filter form: check the choice, then send the browser to the export."""
    dataset = get_dataset(request.GET.get("dataset", ""))
    fmt = request.GET.get("format", "")
    errors = {}
    if dataset is None:
        errors["dataset"] = [_("choose one of the datasets")]
    if fmt not in export.FORMATS:
        errors["format"] = [_("choose CSV, GeoJSON or GeoPackage")]
    params = {}
    if dataset is not None:
        params = {n: v for n in parameter_names(dataset) if (v := request.GET.get(n, "").strip())}
        try:
            select(dataset, params, request.user)
        except ParamErrors as exc:
            errors.update(exc.errors)
    if errors:
        return page(request, errors, status=400)
    url = reverse("opendata-export", kwargs={"dataset": dataset.slug, "fmt": fmt})
    return redirect(url + "?" + urlencode({**params, "lang": get_language()}))
