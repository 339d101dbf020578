"""An old hotline's rows as report records: the layer core's Converter with a report's own columns.

The core reads the id, the place (lat/lon, or x/y in the mapping's CRS), the status word, the
fields and the dates' formats, and refuses rows outside Tbilisi. This adds what a report needs:

- the category, by the mapping's table; a value the table lacks refuses the whole file, with every
  such value and how many rows hold it (nothing of a half-mapped record is worth importing);
- the dates it was created, acknowledged, resolved and closed, and the old system's deadlines, in
  the mapping's timezone when a time has no offset; a date before the report was filed, or a
  resolved or closed report without a date for it, is refused;
- a place that is missing or a placeholder (a point the mapping lists, within its tolerance, or
  one outside its bbox) is no usable place: such a row is kept off the map when the mapping says
  ``without_location: keep`` and refused otherwise.
"""

from collections import Counter
from datetime import datetime

import shapely
from django.utils import timezone
from pyproj import Geod

from layers.importing import ImportRefused
from layers.importing.convert import Converter
from layers.importing.stages import RowError, read_date

GEOD = Geod(ellps="WGS84")
OFF_MAP = shapely.Point()  # the geometry of a row kept off the map: empty, so it is on no map


class UnmappedCategories(ImportRefused):
    """Category values the mapping does not map; `counts` holds each with its number of rows."""

    def __init__(self, column: str, counts: Counter):
        self.counts = counts
        listed = "\n".join(f"  {value!r}: {n} row{'s' if n != 1 else ''}" for value, n in counts.most_common())
        super().__init__(
            f"{len(counts)} value(s) of column '{column}' have no category in the mapping's category.values; "
            f"nothing was written. Map each of them to one of our category codes:\n{listed}"
        )


class RowsRefused(ImportRefused):
    """Rows that cannot be imported, each with its number and reason: a record is imported whole or not at all."""

    def __init__(self, rejections, rows_read: int):
        self.rejections = rejections
        listed = "\n".join(f"  row {r.row}: {r.reason}" for r in rejections)
        super().__init__(
            f"{len(rejections)} of {rows_read} rows cannot be imported, so nothing was written; correct them (or the "
            f"mapping) and run again:\n{listed}"
        )


class ReportConverter(Converter):
    def convert(self, rows):
        unmapped = Counter(
            str(value).strip()
            for value in (row.values.get(self.mapping.category_column) for row in rows)
            if value is not None and str(value).strip().casefold() not in self.mapping.categories
        )
        if unmapped:
            raise UnmappedCategories(self.mapping.category_column, unmapped)
        with timezone.override(self.mapping.timezone):  # a time without an offset is the mapping's zone's
            conversion = super().convert(rows)
        refused = [r for r in conversion.rejections if not r.skipped]
        if refused:
            raise RowsRefused(refused, len(rows))
        return conversion

    def extra_values(self, row, values: dict) -> dict:
        m = self.mapping
        word = row.values.get(m.category_column)
        if word is None:
            raise RowError(f"no category in column '{m.category_column}'", "no category")
        values["category"] = m.categories[str(word).strip().casefold()]
        dates = {name: self._date(row, column) for name, column in m.dates.items()}
        if dates["created"] is None:
            raise RowError(f"no date in column '{m.dates['created']}' (when the report was filed)", "no created date")
        values.update(self._dated(row, dates))
        values["deadlines"] = {name: self._date(row, column) for name, column in m.deadlines.items()}
        for name, due in values["deadlines"].items():
            if due is not None and due < dates["created"]:
                raise RowError(
                    f"column '{m.deadlines[name]}': the deadline is before the report was filed", "contradictory dates"
                )
        status_word = str(row.values.get(m.status_column) or "").strip().casefold()
        values["close_reason"] = m.close_reasons.get(status_word, "")
        description = values.get("description") or ""
        values["title"] = (description.strip().splitlines() or [""])[0][:120]
        return values

    def _date(self, row, column) -> datetime | None:
        return read_date(self.mapping, column, row.values.get(column))

    def _dated(self, row, dates: dict) -> dict:
        m = self.mapping
        created = dates["created"]
        for name in ("acknowledged", "resolved", "closed"):
            if dates.get(name) is not None and dates[name] < created:
                raise RowError(
                    f"column '{m.dates[name]}': {name} {dates[name]:%d.%m.%Y %H:%M}, before the report was filed "
                    f"({created:%d.%m.%Y %H:%M})",
                    "contradictory dates",
                )
        status = m.status_values.get(str(row.values.get(m.status_column) or "").strip().casefold())
        status_date = (
            read_date(m, m.status_date_column, row.values.get(m.status_date_column)) if m.status_date_column else None
        )
        if status_date is not None and status_date < created:
            raise RowError(
                f"column '{m.status_date_column}': the status began before the report was filed", "contradictory dates"
            )
        for name in ("resolved", "closed"):
            if status == name and dates.get(name) is None:
                if status_date is None:
                    raise RowError(f"the report is {name} but no column says when", "no date of status")
                dates[name] = status_date
        if status == "new" and any(dates.get(name) for name in ("acknowledged", "resolved", "closed")):
            raise RowError("the status is new, but the row dates an answer of the service", "contradictory dates")
        if dates.get("acknowledged") is None and status not in (None, "new"):
            # Any answer of the service meets the response deadline (as live: fixtracker.actions.
            # lifecycle): without its own date, the earliest answer the row dates.
            answers = [d for d in (dates.get("resolved"), dates.get("closed"), status_date) if d is not None]
            dates["acknowledged"] = min(answers, default=None)
        return {
            "created_at": created,
            "acknowledged_at": dates.get("acknowledged"),
            "resolved_at": dates.get("resolved"),
            "closed_at": dates.get("closed"),
            "status_at": status_date,
        }

    def _geometry(self, values):
        geom = super()._geometry(values)
        reason = "no location" if geom is None else self._placeholder(geom)
        if reason is None:
            return geom
        if self.mapping.keep_without_location:
            return OFF_MAP
        hint = "; 'without_location: keep' in the mapping keeps such reports off the map"
        if geom is None:
            raise RowError(f"no location{hint}", "no location")
        raise RowError(
            f"location {geom.y:.5f}, {geom.x:.5f} is a placeholder the mapping lists{hint}", "placeholder location"
        )

    def _placeholder(self, point) -> str | None:
        spots = self.mapping.placeholders
        if spots.bbox is not None:
            west, south, east, north = spots.bbox
            if not (west <= point.x <= east and south <= point.y <= north):
                return "placeholder location"
        for lon, lat in spots.points:
            _, _, metres = GEOD.inv(lon, lat, point.x, point.y)
            if metres <= spots.tolerance_m + 1e-6:
                return "placeholder location"
        return None

    def _check_places(self, parsed):
        placed = [p for p in parsed if not p.geom.is_empty]
        kept, outside = super()._check_places(placed)
        return [*kept, *(p for p in parsed if p.geom.is_empty)], outside
