from layers.models.events import DateBasis, Event, EventKind, timeline
from layers.models.gazetteer import GazetteerEntry
from layers.models.imports import Feed, ImportRun
from layers.models.items import (
    ConstructionPermit,
    InfrastructureProject,
    MapItem,
    ProjectMilestone,
    ProjectPhoto,
    TreePermit,
)

__all__ = [
    "ConstructionPermit",
    "DateBasis",
    "Event",
    "EventKind",
    "Feed",
    "GazetteerEntry",
    "ImportRun",
    "InfrastructureProject",
    "MapItem",
    "ProjectMilestone",
    "ProjectPhoto",
    "TreePermit",
    "timeline",
]
