from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Map layers")

    def ready(self):
        from layers.events import events_recorded
        from layers.registry import register_builtin_layers
        from layers.tiles import on_events_recorded

        register_builtin_layers()
        # The event spine's fan-out in this app: recorded events expire the cached tiles of their
        # layers. Connected here, so it holds in every process (web, Celery, management commands).
        events_recorded.connect(on_events_recorded, dispatch_uid="layers.tiles.expire")
