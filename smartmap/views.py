from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve as static_serve


def home(request):
    """The full-screen map of Tbilisi."""
    return render(request, "home.html", {"tile_url": settings.MAP_TILE_URL})


def message(request, title: str, text: str, status: int = 200, **extra):
    """A one-card page telling a person what happened (behind emailed links, after actions)."""
    return render(request, "message.html", {"title": title, "text": text, **extra}, status=status)


@never_cache
def report_service_worker(request):
    """The reporting page's service worker, served from the root so its scope covers /ka/ and /en/."""
    with open(finders.find("js/report_sw.js"), "rb") as f:
        return HttpResponse(f.read(), content_type="application/javascript; charset=utf-8")


def media(request, path):
    """Public media, from MEDIA_ROOT as it is now (read per request, so a test's own folder counts)."""
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)
