"""The site's URLs plus a page that crashes, for the 500 page's test (tests/smartmap/test_error_pages.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from smartmap.urls import handler400, handler500
from smartmap.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler500", "urlpatterns"]


def crash(request):
    raise RuntimeError("secret detail /etc/smartmap.conf")


urlpatterns = [*site_urlpatterns, *i18n_patterns(path("crash/", crash), prefix_default_language=True)]
