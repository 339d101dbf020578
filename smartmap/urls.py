from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from places.api import DistrictList
from smartmap import api, health, views

api_v1 = [
    path("districts/", DistrictList.as_view(), name="district-list"),
]

urlpatterns = [
    path("health/", health.health, name="health"),
    path("health/live/", health.live, name="health-live"),
    path("report-sw.js", views.report_service_worker, name="report-sw"),
    path("api/v1/", include(api_v1)),
    path("api/v1/", include("layers.api_urls")),
    path("api/v1/", include("subscriptions.api_urls")),
    path("api/v1/", include("fixtracker.api_urls")),
    path("api/v1/", include("stats.api_urls")),
    path("api/v1/", include("opendata.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", api.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/v2/", include("fixtracker.open311.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("layers.urls")),
    path("", include("subscriptions.urls")),
    path("", include("fixtracker.urls")),
    path("", include("forum.urls")),
    path("", include("moderation.urls")),
    path("", include("stats.urls")),
    path("", include("opendata.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=True,
)

# Django's own refusals (a body over the size limit, a malformed request) in our shapes.
handler400 = "smartmap.errors.bad_request"
handler500 = "smartmap.errors.server_error"

# Public media (report photos with their metadata removed, project photos) are served by the app in
# every mode, since `make run` and the container have no separate web server for them; a deployment
# with one lets it answer /media/ first. Originals live outside MEDIA_ROOT and never pass here.
urlpatterns += [
    re_path(
        rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
        views.media,
        name="media",
    )
]
