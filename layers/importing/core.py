"""Run an import: read, convert, apply in one transaction, and keep the run, whatever happens.

    read_rows  ->  Converter.convert  ->  Applier.apply  ->  ImportRun (+ ImportReport)
    (readers)      (convert, stages)      (apply, history)

- Dry runs do all of the work inside a transaction and roll it back, so the counts they report
  are exactly what a commit would do. Every run, dry or not, is kept as an ImportRun.
- The whole file is refused (ImportRefused; nothing written) when it cannot be read, lacks a
  mapped column, would withdraw too much of a snapshot, or when nothing in it could be imported:
  no data rows, every row refused, or every row outside Tbilisi — then diagnose.py says why in one
  line (swapped coordinates, the CRS that would have been right, or another city).
- Any other error is a bug or a broken environment, not the file's fault: the run is kept as
  *failed* with the reason (admins see it) and ImportFailed carries one line for the console.
  The transaction is rolled back, so nothing is half-written in either case.

import_rows(converter=…, applier=…) takes subclasses with their own hooks, so another importer
(Fix-Tbilisi reports, say) reuses reading, dates, stages, places, history and the run record.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from layers.importing.apply import Applier, ImportRefused
from layers.importing.convert import Converter
from layers.importing.diagnose import diagnose
from layers.importing.mapping import Mapping
from layers.importing.readers import read_rows
from layers.importing.stages import Rejection
from layers.models import ImportRun
from layers.registry import get_layer
from places.index import DistrictIndex
from smartmap.lib.geofiles import GeoFileError

log = logging.getLogger(__name__)

__all__ = ["ImportFailed", "ImportRefused", "ImportReport", "import_rows", "run_import"]


class ImportFailed(Exception):
    """An unexpected error stopped the run; nothing was written, the run is kept as failed."""


class _DryRun(Exception):
    pass


@dataclass
class ImportReport:
    run: ImportRun
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def refused(self) -> list[Rejection]:
        return [r for r in self.rejections if not r.skipped]

    def summary(self) -> str:
        from layers.importing.summary import summary

        return summary(self.run)


def run_import(mapping: Mapping, path, *, commit: bool, user=None, via: str = "command", **hooks) -> ImportReport:
    """Import a register file; see import_rows() for what happens to its rows."""
    try:
        header, rows = read_rows(path, sheet=mapping.sheet, source_crs=mapping.crs, encoding=mapping.encoding)
    except GeoFileError as exc:
        _refused(_new_run(mapping, str(path), commit, user, via), str(exc))
    return import_rows(mapping, header, rows, file_name=str(path), commit=commit, user=user, via=via, **hooks)


def import_rows(
    mapping: Mapping, header, rows, *, file_name: str, commit: bool, user=None, via="command",
    converter=Converter, applier=Applier,
) -> ImportReport:  # fmt: skip
    """Convert rows, apply them in one transaction (rolled back unless commit), keep the run."""
    run = _new_run(mapping, file_name, commit, user, via)
    try:
        return _import(mapping, header, rows, run, commit, converter, applier)
    except ImportRefused:
        raise
    except Exception as exc:  # the run must be kept, and the console told in one line
        log.exception("import run of %s failed", file_name)
        message = f"unexpected error: {exc.__class__.__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
        run.outcome, run.message, run.finished_at = ImportRun.Outcome.FAILED, message[:2000], timezone.now()
        run.pk = None  # the rolled-back transaction may have assigned one
        run.save()
        raise ImportFailed(f"{message} (kept as import run #{run.pk})") from exc


def _import(mapping, header, rows, run, commit, converter, applier) -> ImportReport:
    layer = get_layer(mapping.layer)
    run.rows_read = len(rows)
    _check_header(mapping, header, rows, run)
    index = DistrictIndex()
    try:
        conversion = converter(mapping, layer.model, index).convert(rows)
    except ImportRefused as exc:  # a converter may refuse the whole file (reports: unmapped categories)
        _refused(run, str(exc), exc)
    _record_rejections(run, conversion.rejections)
    if not conversion.records:
        _refused(run, _nothing_message(mapping, conversion, index))
    seen = {r.external_id for r in conversion.records} | {r.external_id for r in conversion.rejections if r.external_id}
    work = applier(layer, mapping, index, run)
    try:
        with transaction.atomic():
            work.apply(conversion.records, seen)
            if not commit:
                raise _DryRun
    except _DryRun:
        pass
    except ImportRefused as exc:
        _refused(run, str(exc), exc)
    run.events = dict(work.kinds)
    run.finished_at = timezone.now()
    run.save()
    return ImportReport(run, conversion.rejections)


def _check_header(mapping, header, rows, run):
    if not rows:
        _refused(run, "the file has no data rows")
    spatial = rows[0].geom is not None or not mapping.geometry
    wanted = mapping.columns() - (set(mapping.geometry.values()) if spatial else set())
    missing = sorted(wanted - set(header))
    if missing:
        _refused(run, f"the file has no column(s) {', '.join(missing)}; it has: {', '.join(header)}")


def _record_rejections(run, rejections):
    refused = [r for r in rejections if not r.skipped]
    run.rejected = len(refused)
    run.duplicates = len(rejections) - len(refused)
    run.refused_by_reason = dict(Counter(r.code for r in refused).most_common())
    run.rejected_rows = [
        {"row": r.row, "reason": r.reason, "code": r.code, **({"skipped": True} if r.skipped else {})}
        for r in rejections[:5000]
    ]


def _nothing_message(mapping, conversion, index) -> str:
    if conversion.outside:  # rows were placed, and not one inside the city: say why in one line
        return diagnose(conversion.raw_points, index, mapping.crs)
    reasons = ", ".join(f"{n} {code}" for code, n in Counter(r.code for r in conversion.rejections).most_common())
    return f"none of the {conversion.rows_read} rows could be imported ({reasons})"


def _new_run(mapping, file_name, commit, user, via) -> ImportRun:
    return ImportRun(
        layer=mapping.layer,
        source=mapping.source,
        file_name=file_name[-500:],
        started_by=user,
        started_via=via,
        outcome=ImportRun.Outcome.COMMITTED if commit else ImportRun.Outcome.DRY_RUN,
    )


def _refused(run: ImportRun, message: str, error: ImportRefused | None = None):
    """Keep the refused run (outside any rolled-back work) and stop with its reason (or `error`, as raised)."""
    run.outcome, run.message, run.finished_at = ImportRun.Outcome.REFUSED, message, timezone.now()
    run.save()
    raise error or ImportRefused(message)
