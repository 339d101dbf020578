"""Apply records to a layer: match, create, update, record history, withdraw.

- Items are matched by (source, external id).
- New items and changed ones get their events from history.py; other changed fields give one
  ``updated`` event (a detail, dated now: the register does not say when a detail changed).
- A snapshot source withdraws (never deletes) items missing from the file, and the run is refused
  when more than ``max_vanish`` of the active items would vanish: a truncated export must not wipe
  the map.
- Writes are batched: COPY for new items and events, one bulk UPDATE of only the changed columns.

Hooks for other importers on this core: subclass Applier and override ``new_values`` (the fields
of a new item) — matching, history, snapshots and saving are shared.
"""

from collections import Counter

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone
from django.utils.text import slugify

from layers.events import item_event, record_events
from layers.gazetteer import file_addresses
from layers.importing import history
from layers.importing.stages import Record
from layers.models import DateBasis, EventKind
from smartmap.lib.copy import copy_insert

BATCH = 2000
STATUS_KINDS = (EventKind.CREATED, EventKind.STATUS_CHANGED, EventKind.CONSULTATION_OPENED)


class ImportRefused(Exception):
    """The whole file was refused; nothing was written. The message says why."""


class Applier:
    def __init__(self, layer, mapping, index, run):
        self.layer, self.mapping, self.index, self.run = layer, mapping, index, run
        self.model = layer.model
        self.now = timezone.now()
        self.events = []
        self.changed_fields: set[str] = set()
        self.paths: dict[int, str] = {}
        self.kinds: Counter = Counter()

    def apply(self, records: list[Record], seen_ids: set[str]):
        existing = {obj.external_id: obj for obj in self.model.objects.filter(source=self.mapping.source)}
        stored = self._stored_timelines([existing[r.external_id].pk for r in records if r.external_id in existing])
        districts = self.index.district_ids([r.point for r in records]) if records else []
        creates, updates = [], []
        for record, district_id in zip(records, districts, strict=True):
            obj = existing.get(record.external_id)
            if obj is None:
                creates.append((self._new(record, district_id), record))
            elif self._update(obj, record, district_id, stored.get(obj.pk, [])):
                updates.append(obj)
            else:
                self.run.unchanged += 1
        if self.mapping.snapshot:
            updates += self._withdraw_missing(existing, seen_ids)
        self._save(creates, updates)

    def new_values(self, record: Record) -> dict:
        """Hook: the fields of a new item from its record."""
        values = dict(record.values)
        if "slug" in {f.name for f in self.model._meta.fields} and not values.get("slug"):
            values["slug"] = slugify(f"{self.mapping.source}-{record.external_id}")[:120]
        return values

    def _stored_timelines(self, ids: list[int]) -> dict[int, list]:
        from layers.models import Event

        rows: dict[int, list] = {}
        events = Event.objects.filter(layer=self.layer.slug, item_id__in=ids, kind__in=STATUS_KINDS)
        for item_id, event_id, status, at in events.values_list("item_id", "id", "new_status", "occurred_at"):
            rows.setdefault(item_id, []).append((event_id, status, at))
        return {item_id: history.stored_timeline(entries) for item_id, entries in rows.items()}

    def _new(self, record: Record, district_id):
        current = history.first_current(record.stages, self.now)
        self.run.created += 1
        return self.model(
            **self.new_values(record),
            status=current.status,
            status_since=current.since,
            status_date_known=current.known,
            geom=_geos(record.geom),
            point=_geos(record.point),
            district_id=district_id,
            source=self.mapping.source,
            external_id=record.external_id,
            is_demo=self.mapping.demo,
        )

    def _update(self, obj, record: Record, district_id, stored) -> bool:
        changed = [name for name, value in record.values.items() if _differs(getattr(obj, name), value)]
        if not shapely.equals_exact(shapely.from_wkb(bytes(obj.geom.wkb)), record.geom, 1e-9):
            changed.append("geom")
            obj.geom, obj.point, obj.district_id = _geos(record.geom), _geos(record.point), district_id
        for name in changed:
            if name != "geom":
                setattr(obj, name, record.values[name])
        planned = history.later_history(stored, obj.status, record.stages, self.now)
        current = history.later_current(obj, record.stages, self.now)
        if obj.withdrawn_at is not None:
            obj.withdrawn_at = None
            changed.append("withdrawn_at")
        if not changed and not planned and current is None:
            return False
        self.changed_fields.update({"geom", "point", "district"} if "geom" in changed else set(), changed)
        if current is not None:
            obj.status, obj.status_since, obj.status_date_known = current.status, current.since, current.known
            self.changed_fields.update({"status", "status_since", "status_date_known"})
        for plan in planned:
            self._event(obj, plan.kind, plan.at, plan.basis, old=plan.old_status, new=plan.new_status)
        if changed:
            self._event(obj, EventKind.UPDATED, self.now, DateBasis.SEEN, data={"changed": changed})
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
            self._event(obj, EventKind.WITHDRAWN, self.now, DateBasis.SEEN)
        self.run.withdrawn = len(vanished)
        return vanished

    def _save(self, creates, updates):
        model = self.model
        for start in range(0, len(creates), BATCH):
            batch = creates[start : start + BATCH]
            copy_insert(model, [obj for obj, _ in batch])  # assigns the new ids
            for obj, record in batch:
                for plan in history.first_history(record.stages):
                    self._event(obj, plan.kind, plan.at, plan.basis, old=plan.old_status, new=plan.new_status)
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

    def _event(self, obj, kind, at, basis, old="", new="", data=None):
        # One URL per item, not per event: reversing it costs more than the rest of an event.
        url = self.paths.get(obj.pk) or self.paths.setdefault(obj.pk, obj.public_path())
        self.kinds[kind] += 1
        self.events.append(
            item_event(
                obj, kind, topic=self.layer.topic, old_status=old, new_status=new, occurred_at=at,
                date_basis=basis, url=url, data=data,
            )
        )  # fmt: skip


def _differs(current, new) -> bool:
    if current is None and new in ("", [], None):
        return False
    if isinstance(current, float) and isinstance(new, (int, float)):
        return abs(current - new) > 1e-9
    return current != new


def _geos(geom) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=4326)
