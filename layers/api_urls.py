from django.urls import path, re_path

from layers import api

app_name = "layers-api"
urlpatterns = [
    path("layers/", api.LayerList.as_view(), name="layer-list"),
    path("layers/<slug:slug>/features/", api.FeatureList.as_view(), name="features"),
    path("layers/<slug:slug>/features/<int:pk>/", api.FeatureDetail.as_view(), name="feature"),
    # Any text for z/x/y, so that a negative or non-numeric one gets a 400 with a message, not a 404.
    re_path(
        r"^layers/(?P<slug>[-a-zA-Z0-9_]+)/tiles/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.mvt$",
        api.Tile.as_view(),
        name="tile",
    ),
    path("layers/<slug:slug>/count/", api.AreaCount.as_view(), name="count"),
    path("search/", api.Search.as_view(), name="search"),
]
