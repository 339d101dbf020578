"""Apply records to a layer: match, create, update, record history, withdraw, all or nothing.

Rules:
- Items are matched by (source, external id). Re-importing the same file changes nothing.
- A new item gets one event per stage in its history, each dated when it happened (occurred_at),
  so a first import of ten years becomes history, not news.
- An existing item gets a status_changed event for each later stage whose status differs, and one
  `updated` event when other fields changed. Nothing is ever overwritten in the timeline.
- A snapshot source withdraws (never deletes) items missing from the file, and the run is refused
  when more than `max_vanish` of the active items would vanish: a truncated export must not wipe
  the map.
- Dry runs do all of the work inside a transaction and roll it back, so the counts they report
  are exactly what a commit would do. Every run, dry or not, is kept as an ImportRun.
"""

from dataclasses import dataclass, field

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from layers.events import EventSpec, item_event, record_events, status_change_kind
from layers.gazetteer import file_addresses
from layers.importing.convert import Converter, Record, Rejection
from layers.importing.mapping import Mapping
from layers.importing.readers import read_rows
from layers.models import EventKind, ImportRun
from layers.registry import get_layer
from places.index import DistrictIndex
from smartmap.lib.copy import copy_insert
from smartmap.lib.geofiles import GeoFileError

BATCH = 2000


class ImportRefused(Exception):
    """The whole file was refused; nothing was written. The message says why."""


class _DryRun(Exception):
    pass


@dataclass
class ImportReport:
    run: ImportRun
    rejections: list[Rejection] = field(default_factory=list)

    def summary(self) -> str:
        r = self.run
        return (
            f"{r.created} created, {r.updated} updated, {r.unchanged} unchanged, "
            f"{r.withdrawn} withdrawn, {r.rejected} rejected"
        )


def run_import(mapping: Mapping, path, *, commit: bool, user=None, via: str = "command") -> ImportReport:
    """Import a register file; see import_rows() for what happens to its rows."""
    try:
        header, rows = read_rows(path, sheet=mapping.sheet, source_crs=mapping.crs)
    except GeoFileError as exc:
        _refused(_new_run(mapping, str(path), commit, user, via), str(exc))
    return import_rows(mapping, header, rows, file_name=str(path), commit=commit, user=user, via=via)


def import_rows(mapping: Mapping, header, rows, *, file_name: str, commit: bool, user=None, via="command"):
    """Convert rows, apply them in one transaction (rolled back unless commit), keep the run."""
    layer = get_layer(mapping.layer)
    run = _new_run(mapping, file_name, commit, user, via)
    spatial = bool(rows) and rows[0].geom is not None or not mapping.geometry
    wanted = mapping.columns() - (set(mapping.geometry.values()) if spatial else set())
    missing = sorted(wanted - set(header))
    if missing:
        _refused(run, f"the file has no column(s) {', '.join(missing)}; it has: {', '.join(header)}")
    index = DistrictIndex()
    records, rejections = Converter(mapping, layer.model, index).convert(rows)
    try:
        with transaction.atomic():
            _Applier(layer, mapping, index, run).apply(records, rejections)
            if not commit:
                raise _DryRun
    except _DryRun:
        pass
    except ImportRefused as exc:
        _refused(run, str(exc))
    run.rejected = len(rejections)
    run.rejected_rows = [{"row": r.row, "reason": r.reason} for r in rejections]
    run.finished_at = timezone.now()
    run.save()
    return ImportReport(run, rejections)


def _new_run(mapping, file_name, commit, user, via) -> ImportRun:
    return ImportRun(
        layer=mapping.layer,
        source=mapping.source,
        file_name=file_name[-500:],
        started_by=user,
        started_via=via,
        outcome=ImportRun.Outcome.COMMITTED if commit else ImportRun.Outcome.DRY_RUN,
    )


def _refused(run: ImportRun, message: str):
    """Keep the refused run (outside any rolled-back work) and stop with its reason."""
    run.outcome, run.message, run.finished_at = ImportRun.Outcome.REFUSED, message, timezone.now()
    run.save()
    raise ImportRefused(message)


class _Applier:
    def __init__(self, layer, mapping: Mapping, index: DistrictIndex, run: ImportRun):
        self.layer, self.mapping, self.index, self.run = layer, mapping, index, run
        self.model = layer.model
        self.now = timezone.now()
        self.events: list[EventSpec] = []
        self.changed_fields: set[str] = set()
        self.paths: dict[int, str] = {}

    def apply(self, records: list[Record], rejections: list[Rejection]):
        existing = {obj.external_id: obj for obj in self.model.objects.filter(source=self.mapping.source)}
        districts = self.index.district_ids([r.point for r in records]) if records else []
        creates, updates = [], []
        for record, district_id in zip(records, districts, strict=True):
            obj = existing.get(record.external_id)
            if obj is None:
                creates.append((self._new(record, district_id), record))
            elif self._update(obj, record, district_id):
                updates.append(obj)
            else:
                self.run.unchanged += 1
        if self.mapping.snapshot:
            seen = {r.external_id for r in records} | {r.external_id for r in rejections if r.external_id}
            updates += self._withdraw_missing(existing, seen)
        self._save(creates, updates)

    def _new(self, record: Record, district_id):
        stages = record.stages or []
        last = stages[-1] if stages else None
        values = dict(record.values)
        if "slug" in {f.name for f in self.model._meta.fields} and not values.get("slug"):
            values["slug"] = slugify(f"{self.mapping.source}-{record.external_id}")[:120]
        self.run.created += 1
        return self.model(
            **values,
            status=last.status if last else self._default_status(),
            status_since=(last.at if last and last.at else self.now),
            geom=_geos(record.geom),
            point=_geos(record.point),
            district_id=district_id,
            source=self.mapping.source,
            external_id=record.external_id,
            is_demo=self.mapping.demo,
        )

    def _default_status(self):
        return self.layer.statuses()[0][0]

    def _update(self, obj, record: Record, district_id) -> bool:
        changed = [name for name, value in record.values.items() if _differs(getattr(obj, name), value)]
        if not shapely.equals_exact(shapely.from_wkb(bytes(obj.geom.wkb)), record.geom, 1e-9):
            changed.append("geom")
            obj.geom, obj.point, obj.district_id = _geos(record.geom), _geos(record.point), district_id
        for name in changed:
            if name != "geom":
                setattr(obj, name, record.values[name])
        stages = [s for s in record.stages if s.at is None or s.at > obj.status_since]
        status_changes = []
        current = obj.status
        for stage in stages:
            if stage.status != current:
                status_changes.append((current, stage))
                current = stage.status
        if obj.withdrawn_at is not None:
            obj.withdrawn_at = None
            changed.append("withdrawn_at")
        if not changed and not status_changes:
            return False
        self.changed_fields.update({"geom", "point", "district"} if "geom" in changed else set(), changed)
        if status_changes:
            self.changed_fields.update({"status", "status_since"})
        for old, stage in status_changes:
            obj.status, obj.status_since = stage.status, stage.at or self.now
            self._event(obj, status_change_kind(stage.status), stage.at, old=old, new=stage.status)
        if changed:
            self._event(obj, EventKind.UPDATED, None, data={"changed": changed})
        self.run.updated += 1
        return True

    def _withdraw_missing(self, existing: dict, seen: set) -> list:
        active = [obj for obj in existing.values() if obj.withdrawn_at is None]
        vanished = [obj for obj in active if obj.external_id not in seen]
        if active and len(vanished) / len(active) > self.mapping.max_vanish:
            raise ImportRefused(
                f"{len(vanished)} of {len(active)} items ({len(vanished) / len(active):.0%}) are missing from this "
                f"snapshot, more than the {self.mapping.max_vanish:.0%} allowed: is the file complete?"
            )
        for obj in vanished:
            obj.withdrawn_at = self.now
            self.changed_fields.add("withdrawn_at")
            self._event(obj, EventKind.WITHDRAWN, None)
        self.run.withdrawn = len(vanished)
        return vanished

    def _save(self, creates, updates):
        model = self.model
        for start in range(0, len(creates), BATCH):
            batch = creates[start : start + BATCH]
            copy_insert(model, [obj for obj, _ in batch])  # assigns the new ids
            for obj, record in batch:
                self._history(obj, record)
        if updates:
            # Only the columns some item really changed: bulk_update writes a CASE per column.
            fields = sorted(self.changed_fields | {"updated_at"})
            for obj in updates:
                obj.updated_at = self.now
            model.objects.bulk_update(updates, fields, batch_size=BATCH)
        for start in range(0, len(self.events), BATCH * 5):
            record_events(self.events[start : start + BATCH * 5])
        # The addresses the city's registers use become searchable places.
        file_addresses([obj for obj, _ in creates], source=self.mapping.source, is_demo=self.mapping.demo)

    def _history(self, obj, record: Record):
        stages = record.stages or [None]
        self._event(
            obj,
            EventKind.CREATED,
            stages[0].at if stages[0] else None,
            new=obj.status if not stages[0] else stages[0].status,
        )
        for previous, stage in zip(stages, stages[1:], strict=False):
            if stage.status != previous.status:
                self._event(obj, status_change_kind(stage.status), stage.at, old=previous.status, new=stage.status)

    def _event(self, obj, kind, at, old="", new="", data=None):
        # One URL per item, not per event: reversing it costs more than the rest of an event.
        url = self.paths.get(obj.pk) or self.paths.setdefault(obj.pk, obj.public_path())
        self.events.append(
            item_event(
                obj,
                kind,
                topic=self.layer.topic,
                old_status=old,
                new_status=new,
                occurred_at=at or self.now,
                url=url,
                data=data,
            )
        )


def _differs(current, new) -> bool:
    if current is None and new in ("", [], None):
        return False
    if isinstance(current, float) and isinstance(new, (int, float)):
        return abs(current - new) > 1e-9
    return current != new


def _geos(geom) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=4326)
