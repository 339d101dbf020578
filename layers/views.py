"""Public pages of the layers: item pages, list views, the projects index and project pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from layers.models import Event, InfrastructureProject
from layers.registry import get_layer


def _layer_or_404(slug: str):
    layer = get_layer(slug)
    if layer is None:
        raise Http404
    return layer


def item_detail(request, layer, pk):
    layer = _layer_or_404(layer)
    item = get_object_or_404(layer.model.objects.all(), pk=pk)
    timeline = Event.objects.filter(layer=layer.slug, item_id=item.pk).order_by("occurred_at", "id")
    return render(request, "layers/item_detail.html", {"layer": layer, "item": item, "timeline": timeline})


def item_list(request, layer):
    layer = _layer_or_404(layer)
    items = layer.model.objects.public().select_related("district")[:100]
    return render(request, "layers/item_list.html", {"layer": layer, "items": items})


def project_index(request):
    projects = InfrastructureProject.objects.public().select_related("district")
    return render(request, "layers/project_index.html", {"projects": projects})


def project_detail(request, slug):
    project = get_object_or_404(InfrastructureProject.objects.all(), slug=slug)
    timeline = Event.objects.filter(layer=project.LAYER, item_id=project.pk).order_by("occurred_at", "id")
    layer = get_layer(project.LAYER)
    return render(request, "layers/item_detail.html", {"layer": layer, "item": project, "timeline": timeline})
