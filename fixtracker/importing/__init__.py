"""Historic reports: a city's record from its old hotline, on the layers' import core.

    mapping = ReportMapping.load_for("hotline.yaml", "export.csv")
    result = run_report_import(mapping, "export.csv", commit=True)

A city moving from another hotline brings its record, so the response record (stats/record.py)
covers the years before Fix-Tbilisi with the times they really took. The file (CSV in any
encoding and delimiter, Excel, or an Open311 GeoReport v2 requests.json) is read by the core's
readers, converted by the core's Converter with a report's own columns (convert.py: categories,
dates, deadlines, places kept off the map) and stored by apply.py, all inside the core's run:
a dry run by default that rolls back, one transaction, every run kept as an ImportRun.

The record is imported whole or not at all: a category value the mapping does not map refuses
the file with every such value and its count; any refused row refuses the file with every row's
number and reason. Imported reports are history, never news: they start no clock, notify nobody,
and re-importing the file changes nothing (apply.py says how).
"""

from dataclasses import dataclass
from functools import partial

from fixtracker.importing.apply import ReportApplier, Tally
from fixtracker.importing.convert import ReportConverter, RowsRefused, UnmappedCategories
from fixtracker.importing.mapping import MappingError, ReportMapping
from layers.importing import ImportReport, import_rows
from layers.importing.core import _new_run, _refused
from layers.importing.readers import read_records, read_rows
from smartmap.lib.geofiles import GeoFileError


@dataclass
class ReportImport:
    report: ImportReport
    tally: Tally


def run_report_import(mapping: ReportMapping, path, *, commit: bool, user=None) -> ReportImport:
    """Import an old hotline's file; raises ImportRefused (nothing written) or ImportFailed."""
    try:
        if mapping.format == "open311":
            header, rows = read_records(path)
        else:
            header, rows = read_rows(path, sheet=mapping.sheet, encoding=mapping.encoding)
    except GeoFileError as exc:
        _refused(_new_run(mapping, str(path), commit, user, "command"), str(exc))
    mapping.without_absent(header)
    tally = Tally()
    report = import_rows(
        mapping, header, rows, file_name=str(path), commit=commit, user=user,
        converter=ReportConverter, applier=partial(ReportApplier, tally=tally),
    )  # fmt: skip
    return ReportImport(report, tally)


__all__ = ["MappingError", "ReportImport", "ReportMapping", "RowsRefused", "UnmappedCategories", "run_report_import"]
