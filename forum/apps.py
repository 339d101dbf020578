from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Tbilisi Forum")

    def ready(self):
        from forum.models import Thread
        from forum.sections import SUBTOPIC_LABELS
        from layers.models.items import rule_sql
        from layers.registry import Layer, register
        from subscriptions.topics import register_subtopic

        # Threads with a place are one more map layer; hidden threads and those without a place are not.
        register(
            Layer(
                slug=Thread.LAYER,
                name=_("Forum discussions"),
                topic="forum",
                model=Thread,
                color="#0e7490",
                status_colors={"open": "#0891b2", "answered": "#15803d", "closed": "#6b7280"},
                public_sql=rule_sql(Thread.MAP_RULE),  # on the map: public and with a place
                item_public_sql=Thread.public_sql(),  # public anywhere (events: feeds, emails)
                search_fields=("reference", "title", "address"),
                tile_properties={"posts": "i.posts_count"},
                tile_cache_seconds=300,
            )
        )
        for slug, label in SUBTOPIC_LABELS.items():
            register_subtopic(f"forum:{slug}", label)

        from forum.profile import register_sections

        register_sections()

        from forum.moderation import register_targets as register_moderation_targets

        register_moderation_targets()
