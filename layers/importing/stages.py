"""A row's stages, and the rows of one id: how a register's history becomes dated stages.

A *stage* is a status with the date it began at the source, or no date when the register does not
say (history of unknown date, never news). Registers write history in two shapes:

- **wide**: one row per item, one date column per stage (``stages: {application_filed: "applied",
  issued: "issued", …}``). Every stage column with a date is a stage; the status column, if mapped,
  is the current stage (dated by the status date column, else by its own stage column, else
  unknown). A stage dated after the current one contradicts it, and the row is refused.
- **long**: one row per stage (``duplicates: history``); each row's status and status date is one
  stage, and the latest row supplies the item's values.

Stages are put in history order: dated ones by date (ties in the mapping's lifecycle order); an
undated one stays where the register put it, after the stage before it.

Otherwise an id appears once in a file: a repeated id is refused with every row number it appears
on (two rows with one id and different data must not overwrite each other), unless the mapping says
``duplicates: last``, where the last row wins and the earlier ones are listed as skipped.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from layers.importing.dates import DateError, parse_date


class RowError(ValueError):
    """A row that cannot be used; code says which kind of reason (for the summary)."""

    def __init__(self, reason: str, code: str = "unreadable value"):
        super().__init__(reason)
        self.code = code


@dataclass
class Stage:
    status: str
    at: datetime | None
    word: str = ""  # the register's own word, when it came from the status column


@dataclass
class Parsed:
    external_id: str
    row: int
    values: dict
    geom: object
    stages: list[Stage]
    point: object = None


@dataclass
class Record:
    external_id: str
    rows: list[int]
    values: dict
    geom: object
    point: object
    stages: list[Stage] = field(default_factory=list)


@dataclass
class Rejection:
    row: int
    reason: str
    external_id: str | None = None
    code: str = "unreadable value"
    skipped: bool = False  # not refused: another row of the same id was used instead


def read_date(mapping, column: str, raw) -> datetime | None:
    if raw is None:
        return None
    try:
        return parse_date(raw, mapping.date_formats)
    except DateError as exc:
        code = "ambiguous date" if "could be" in str(exc) else "unreadable date"
        raise RowError(f"column '{column}': {exc}", code) from None


def row_stages(mapping, values: dict) -> list[Stage]:
    """The stages one row states, in history order."""
    current = _current(mapping, values) if mapping.status_column else None
    dated = []
    for order, (status, column) in enumerate(mapping.stages.items()):
        at = read_date(mapping, column, values.get(column))
        if at is None:
            continue
        if current is not None and status == current.status:
            current.at = current.at or at
            continue
        dated.append((at, order, Stage(status, at)))
    dated.sort(key=lambda d: (d[0], d[1]))
    stages = [stage for _, _, stage in dated]
    if current is None:
        if not stages:
            raise RowError(f"no date in any stage column ({', '.join(mapping.stages.values())})", "no stage")
        return stages
    _check_current(mapping, current, stages)
    return [*stages, current]


def _check_current(mapping, current: Stage, stages: list[Stage]):
    """The status column must not lag the stage columns: no stage after it in the lifecycle, or later."""
    order = list(mapping.stages)
    after = order[order.index(current.status) + 1 :] if current.status in order else []
    for stage in stages:
        if stage.status in after or (current.at is not None and stage.at > current.at):
            when = f" ({current.at:%d.%m.%Y})" if current.at else ""
            raise RowError(
                f"the status is '{current.word}'{when} but column '{mapping.stages[stage.status]}' "
                f"dates a later stage ({stage.at:%d.%m.%Y})",
                "contradictory stages",
            )


def _current(mapping, values: dict) -> Stage:
    word = values.get(mapping.status_column)
    if word is None:
        raise RowError(f"no status in column '{mapping.status_column}'", "no status")
    code = mapping.status_values.get(str(word).strip().casefold())
    if code is None:
        raise RowError(f"unknown status word '{word}'", "unknown status word")
    at = read_date(mapping, mapping.status_date_column, values.get(mapping.status_date_column))
    return Stage(code, at, str(word).strip())


def group(mapping, parsed: list[Parsed]) -> tuple[list[Record], list[Rejection]]:
    """One record per id, by the mapping's duplicates rule; the rows it refuses or skips."""
    by_id: dict[str, list[Parsed]] = {}
    for item in parsed:
        by_id.setdefault(item.external_id, []).append(item)
    records, rejections = [], []
    for external_id, items in by_id.items():
        if len(items) == 1 or mapping.duplicates == "history":
            records.append(_history(items))
        elif mapping.duplicates == "last":
            records.append(_record([items[-1]], items[-1].stages))
            for item in items[:-1]:
                reason = f"skipped: id '{external_id}' appears again in row {items[-1].row}, which is used"
                rejections.append(Rejection(item.row, reason, external_id, "duplicate id", skipped=True))
        else:
            rows = [item.row for item in items]
            for item in items:
                others = ", ".join(str(r) for r in rows if r != item.row)
                reason = f"id '{external_id}' appears also in row {others}; add 'duplicates: last' if the later wins"
                rejections.append(Rejection(item.row, reason, external_id, "duplicate id"))
    return records, rejections


def _history(items: list[Parsed]) -> Record:
    # The row of the item's latest stage (its current status) supplies the item's values.
    pairs = history_order([(stage, item) for item in items for stage in item.stages])
    return _record(items, [stage for stage, _ in pairs], pairs[-1][1] if pairs else None)


def _record(items: list[Parsed], stages: list[Stage], source: Parsed | None = None) -> Record:
    source = source or items[-1]
    return Record(source.external_id, [i.row for i in items], source.values, source.geom, source.point, stages)


def history_order(entries: list) -> list:
    """Stages (or (stage, anything) pairs) in history order: by date, undated after their predecessor."""
    keyed, key = [], _EARLIEST
    for position, entry in enumerate(entries):
        stage = entry[0] if isinstance(entry, tuple) else entry
        key = stage.at or key
        keyed.append((key, position, entry))
    return [entry for _, _, entry in sorted(keyed, key=lambda k: (k[0], k[1]))]


_EARLIEST = datetime.min.replace(tzinfo=UTC)
