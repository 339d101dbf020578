"""The layer import core: registers as they really arrive, into the map, with history.

    mapping = Mapping.load("permits.yaml")
    report = run_import(mapping, "register.xlsx", commit=True)

Files (CSV, XLSX, GeoJSON, Shapefile, GeoPackage, any CRS) are read into rows (readers.py); a
Mapping (mapping.py) says how a register's columns, dates (dates.py) and stages (stages.py) become
records or refusals with their row number and reason (convert.py); records are applied to the
layer's items in one transaction (apply.py), each stage an Event dated when it happened at the
source, or of unknown date (history.py). core.py runs it all and keeps every run; diagnose.py says
why a file landed nowhere in the city; summary.py words the result.
"""

from layers.importing.apply import ImportRefused
from layers.importing.core import ImportFailed, ImportReport, import_rows, run_import
from layers.importing.mapping import Mapping, MappingError

__all__ = ["ImportFailed", "ImportRefused", "ImportReport", "Mapping", "MappingError", "import_rows", "run_import"]
