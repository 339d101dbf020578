"""The layer registry: what the map, the API, tiles and subscriptions know about each layer.

A layer is a model with the MapItem columns plus presentation facts. Fix-Tbilisi registers its
reports as one more layer from its AppConfig.ready(), so no layer code names another app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Layer:
    slug: str
    name: str
    topic: str
    model: type
    color: str
    status_colors: dict[str, str] = field(default_factory=dict)
    # SQL condition (on the item table) for what the public may see on the map (tiles, features,
    # counts, search, statistics); by default the model's own PUBLIC_RULE (layers.models.items.MapItem),
    # the one definition every surface reads. A layer whose items may lack a place (forum threads)
    # adds that they have one; `item_public_sql` is then the rule alone, for what is public
    # anywhere, on the map or not (events: feeds, emails not yet sent). Both come from the model's rules.
    public_sql: str = ""
    item_public_sql: str = ""
    # Text columns the search box and the list filter look in.
    search_fields: tuple[str, ...] = ("reference", "title", "address")
    # More properties of each item in the vector tiles: {name: SQL expression over the item "i"}.
    tile_properties: dict[str, str] = field(default_factory=dict)
    # How long a rendered tile may be reused; shorter for layers whose look changes with time.
    tile_cache_seconds: int = 3600
    # For items routed by their district (reports): when boundaries change they keep it, and this
    # notes the change on each instead; it takes [layers.districts.Move] and returns how many.
    on_boundary_change: Callable | None = None

    def __post_init__(self):
        if not self.public_sql:
            object.__setattr__(self, "public_sql", self.model.public_sql())
        if not self.item_public_sql:
            object.__setattr__(self, "item_public_sql", self.public_sql)

    def public_items(self):
        """The layer's items the public may see, by this rule."""
        return self._where(self.public_sql)

    def withheld_items(self):
        """The layer's items the rule keeps from the public (hidden, unconfirmed, withdrawn …), on
        the map or off it: an item that is public without a place (a forum thread) is not withheld."""
        return self._where(f"NOT ({self.item_public_sql})")

    def _where(self, sql: str):
        from django.db.models import BooleanField
        from django.db.models.expressions import RawSQL

        return self.model.objects.filter(RawSQL(sql, [], output_field=BooleanField()))

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def statuses(self) -> list[tuple[str, str]]:
        return list(self.model.Status.choices)

    def status_label(self, code: str) -> str:
        return dict(self.statuses()).get(code, code)


_LAYERS: dict[str, Layer] = {}


def register(layer: Layer) -> Layer:
    _LAYERS[layer.slug] = layer
    return layer


def get_layer(slug: str) -> Layer | None:
    return _LAYERS.get(slug)


def all_layers() -> list[Layer]:
    return list(_LAYERS.values())


def register_builtin_layers():
    from layers.models import ConstructionPermit, InfrastructureProject, TreePermit

    register(
        Layer(
            slug=ConstructionPermit.LAYER,
            name=_("Construction permits"),
            topic="construction",
            model=ConstructionPermit,
            color="#c2410c",
            status_colors={
                "application_filed": "#fdba74",
                "under_review": "#fb923c",
                "public_consultation": "#dc2626",
                "issued": "#c2410c",
                "refused": "#6b7280",
                "construction_started": "#9a3412",
                "suspended": "#a8a29e",
                "completed": "#57534e",
                "withdrawn_by_applicant": "#9ca3af",
                "cancelled": "#4b5563",
                "expired": "#78716c",
            },
            search_fields=("reference", "title", "address", "applicant_org"),
        )
    )
    register(
        Layer(
            slug=TreePermit.LAYER,
            name=_("Tree felling and transplanting"),
            topic="trees",
            model=TreePermit,
            color="#15803d",
            status_colors={
                "application": "#86efac",
                "inspection": "#4ade80",
                "issued": "#16a34a",
                "refused": "#6b7280",
                "carried_out": "#b91c1c",
                "compensation_planted": "#14532d",
                "withdrawn_by_applicant": "#9ca3af",
                "cancelled": "#4b5563",
                "expired": "#78716c",
            },
        )
    )
    register(
        Layer(
            slug=InfrastructureProject.LAYER,
            name=_("Infrastructure projects"),
            topic="projects",
            model=InfrastructureProject,
            color="#1d4ed8",
            status_colors={
                "planned": "#93c5fd",
                "tendering": "#60a5fa",
                "in_progress": "#1d4ed8",
                "suspended": "#a8a29e",
                "completed": "#1e3a8a",
                "cancelled": "#4b5563",
            },
            search_fields=("reference", "title", "address", "agency", "contractor"),
        )
    )
