from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FixtrackerConfig(AppConfig):
    name = "fixtracker"
    verbose_name = _("Fix-Tbilisi")

    def ready(self):
        from fixtracker.actions.boundaries import note_boundary_change
        from fixtracker.deadlines import marker_sql
        from fixtracker.models import Category, Report
        from layers.registry import Layer, register
        from subscriptions.topics import register_subtopic

        # Reports join the map as a fourth layer; what is public is Report.PUBLIC_RULE.
        register(
            Layer(
                slug=Report.LAYER,
                name=_("Fix-Tbilisi reports"),
                topic="reports",
                model=Report,
                # Public, and with a place: an imported report without one is on no map and in no
                # cell (stats migration 0003), though its own page and the response record show it.
                public_sql=f"{Report.public_sql()} AND point IS NOT NULL",
                color="#7c3aed",
                status_colors={
                    "new": "#ef4444",
                    "acknowledged": "#f97316",
                    "needs_information": "#eab308",
                    "in_progress": "#8b5cf6",
                    "scheduled": "#6366f1",
                    "resolved": "#22c55e",
                    "closed": "#6b7280",
                },
                search_fields=("reference", "title", "address"),
                # The marker shows the worst deadline state: fixtracker.deadlines' rule, in SQL.
                tile_properties={"clock": marker_sql("i")},
                # Clocks move with time, not only with changes: tiles are reused for a few minutes.
                tile_cache_seconds=120,
                # Routed by their district: new boundaries are noted on a report, never applied to it.
                on_boundary_change=note_boundary_change,
            )
        )
        for group, label in Category.Group.choices:
            register_subtopic(f"reports:{group}", label)

        from fixtracker.profile import register_sections

        register_sections()

        from fixtracker.moderation import register_targets as register_moderation_targets

        register_moderation_targets()
