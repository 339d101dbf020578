from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Map layers")

    def ready(self):
        from layers.registry import register_builtin_layers

        register_builtin_layers()
        # Connects the tile cache's version bump to events_recorded in every process (web, Celery
        # workers, management commands), not only where the URLconf happens to be loaded.
        import layers.tiles  # noqa: F401
