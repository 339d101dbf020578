from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The clock as one word for the map marker, computed where the tile is made.
CLOCK_SQL = """CASE
    WHEN i.status IN ('resolved', 'closed') THEN 'met'
    WHEN i.paused_at IS NOT NULL THEN 'paused'
    WHEN (i.acknowledged_at IS NULL AND i.response_due_at < now()) OR i.resolution_due_at < now() THEN 'overdue'
    WHEN (i.acknowledged_at IS NULL AND i.response_due_at < now() + interval '4 hours')
         OR i.resolution_due_at < now() + interval '4 hours' THEN 'due_soon'
    ELSE 'running' END"""


class FixtrackerConfig(AppConfig):
    name = "fixtracker"
    verbose_name = _("Fix-Tbilisi")

    def ready(self):
        from fixtracker.models import Category, Report
        from layers.registry import Layer, register
        from subscriptions.topics import register_subtopic

        # Reports join the map as a fourth layer; only confirmed, unhidden ones are public.
        register(
            Layer(
                slug=Report.LAYER,
                name=_("Fix-Tbilisi reports"),
                topic="reports",
                model=Report,
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
                public_sql="confirmed_at IS NOT NULL AND hidden_at IS NULL AND withdrawn_at IS NULL",
                search_fields=("reference", "title", "address"),
                # The marker shows the deadline clock, the same rule as fixtracker.deadlines.worst_state.
                tile_properties={"clock": CLOCK_SQL},
                # Clocks move with time, not only with changes: tiles are reused for a few minutes.
                tile_cache_seconds=120,
            )
        )
        for group, label in Category.Group.choices:
            register_subtopic(f"reports:{group}", label)
