"""The layer import core: registers as they really arrive, into the map, with history.

    mapping = Mapping.load("permits.yaml")
    report = run_import(mapping, "register.xlsx", commit=True)

Files (CSV, XLSX, GeoJSON, Shapefile, GeoPackage, any CRS) are read into rows; a Mapping turns
each row into a record or a rejection with its row number and reason; records are applied to the
layer's items in one transaction, each change recorded as an Event dated when it happened at the
source. See core.py for the rules (matching, history, snapshots, dry runs).
"""

from layers.importing.core import ImportRefused, ImportReport, import_rows, run_import
from layers.importing.mapping import Mapping, MappingError

__all__ = ["ImportRefused", "ImportReport", "Mapping", "MappingError", "import_rows", "run_import"]
