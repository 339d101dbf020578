from django.conf import settings
from django.shortcuts import render


def home(request):
    """The full-screen map of Tbilisi."""
    return render(request, "home.html", {"tile_url": settings.MAP_TILE_URL})
