from django.urls import re_path

from fixtracker.open311 import views

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+)" + FORMAT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, views.token, name="token"),
    # Anything else asked for in one of our formats gets the spec's error, not an HTML page.
    re_path(r"^(?P<path>.*)" + FORMAT, views.not_found, name="not-found"),
]
