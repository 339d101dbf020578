from django.conf import settings
from django.shortcuts import render


def home(request):
    """The full-screen map of Tbilisi."""
    return render(request, "home.html", {"tile_url": settings.MAP_TILE_URL})


def message(request, title: str, text: str, status: int = 200, **extra):
    """A one-card page telling a person what happened (behind emailed links, after actions)."""
    return render(request, "message.html", {"title": title, "text": text, **extra}, status=status)
