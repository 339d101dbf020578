from django.urls import path, re_path

from opendata import api

urlpatterns = [
    path("opendata/catalogue.jsonld", api.Catalogue.as_view(), name="opendata-catalogue"),
    path("opendata/dumps/", api.Dumps.as_view(), name="opendata-dumps"),
    path("opendata/<slug:dataset>/dictionary/", api.Dictionary.as_view(), name="opendata-dictionary"),
    # Any text for the format, so that an unknown one gets a 404 that names the formats there are.
    re_path(r"^opendata/(?P<dataset>[-a-zA-Z0-9_]+)\.(?P<fmt>[^/.]+)$", api.Export.as_view(), name="opendata-export"),
]
