"""Dirty registers written by the tests: CSV, XLSX, GeoJSON and Shapefile at real Tbilisi places.

path = write_csv(tmp_path, HEADER, rows)             # ; separated, with the BOM Excel writes
report = run(mapping(stages=…), path, commit=True)
history(permit)  ->  [("created", "", "application_filed", "2019-03-04", "source"), …]
"""

import csv
import io

import geopandas as gpd
import shapely
from django.utils import timezone

from layers.importing import Mapping, run_import
from layers.models import ConstructionPermit, Event, timeline

# Real addresses in Tbilisi (lon, lat), each in a different district.
PLACES = {
    "vake": (44.7560, 41.7105),  # ი. ჭავჭავაძის გამზ. 64
    "saburtalo": (44.7450, 41.7250),  # ვაჟა-ფშაველას გამზ. 45
    "isani": (44.8330, 41.6860),  # ქეთევან წამებულის გამზ. 10
    "didube": (44.7800, 41.7480),  # წერეთლის გამზ. 116
    "gldani": (44.8250, 41.7900),  # გლდანი, მე-7 მ/რ
    "mtatsminda": (44.7930, 41.6938),  # თავისუფლების მოედანი
}
BATUMI = (41.6400, 41.6460)
SOURCE = "tbilisi-urban-development"
KA_DATE = "%d.%m.%Y"

# A wide register as the Urban Development Service exports it: one row per permit, a date per stage.
GEORGIAN = {
    "id": "განცხადების №",
    "address": "მისამართი",
    "status": "სტატუსი",
    "applied": "განცხადების თარიღი",
    "issued": "ნებართვის გაცემის თარიღი",
    "started": "მშენებლობის დაწყება",
    "completed": "ექსპლუატაციაში მიღება",
    "lat": "განედი",
    "lon": "გრძედი",
}
ENGLISH = {
    "id": "Application No",
    "address": "Address",
    "status": "Status",
    "applied": "Applied",
    "issued": "Issued",
    "started": "Started",
    "completed": "Completed",
    "lat": "Latitude",
    "lon": "Longitude",
}
WORDS_KA = {
    "განცხადება შემოსულია": "application_filed",
    "ნებართვა გაცემულია": "issued",
    "მშენებლობა დაწყებულია": "construction_started",
    "ექსპლუატაციაში მიღებულია": "completed",
    "გაუქმებულია": "cancelled",
    "ვადაგასულია": "expired",
    "გამოთხოვილია": "withdrawn_by_applicant",
}
WORDS_EN = {
    "Filed": "application_filed",
    "Issued": "issued",
    "Under construction": "construction_started",
    "Commissioned": "completed",
    "Cancelled": "cancelled",
}


def mapping(columns=GEORGIAN, words=WORDS_KA, *, stages=True, geometry=True, **extra) -> dict:
    data = {
        "layer": "construction-permits",
        "source": SOURCE,
        "id": columns["id"],
        "status": {"column": columns["status"], "values": dict(words)},
        "fields": {"address": columns["address"]},
    }
    if stages:
        data["stages"] = {
            "application_filed": columns["applied"],
            "issued": columns["issued"],
            "construction_started": columns["started"],
            "completed": columns["completed"],
        }
    if geometry:
        data["geometry"] = {"lat": columns["lat"], "lon": columns["lon"]}
    data.update(extra)
    return data


def header(columns=GEORGIAN) -> list[str]:
    keys = ["id", "address", "status", "applied", "issued", "started", "completed", "lat", "lon"]
    return [columns[k] for k in keys]


def row(pid, place, status, applied="", issued="", started="", completed="", address=None):
    lon, lat = PLACES[place] if isinstance(place, str) else place
    return [pid, address or f"{place} {pid}", status, applied, issued, started, completed, lat, lon]


def write_csv(folder, head, rows, name="register.csv", delimiter=";"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows([head, *rows])
    path = folder / name
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def write_xlsx(folder, head, rows, name="register.xlsx"):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [head, *rows]:
        sheet.append(line)
    path = folder / name
    book.save(path)
    return path


def write_vector(folder, head, rows, name, *, lat="lat", lon="lon", crs="EPSG:4326", driver=None):
    """Rows with lat/lon columns as a GIS file: the coordinates become each feature's point."""
    i_lat, i_lon = head.index(lat), head.index(lon)
    keep = [i for i in range(len(head)) if i not in (i_lat, i_lon)]
    records = [{head[i]: (r[i] if r[i] != "" else None) for i in keep} for r in rows]
    points = [shapely.Point(float(r[i_lon]), float(r[i_lat])) for r in rows]
    frame = gpd.GeoDataFrame(records, geometry=points, crs="EPSG:4326").to_crs(crs)
    path = folder / name
    frame.to_file(path, driver=driver, engine="pyogrio")
    return path


def run(data: dict, path, commit=True, **hooks):
    return run_import(Mapping.from_dict(data), path, commit=commit, **hooks)


def permit(external_id) -> ConstructionPermit:
    return ConstructionPermit.objects.get(source=SOURCE, external_id=external_id)


def history(item) -> list[tuple]:
    """(kind, old, new, Tbilisi date or None, date basis) of each event, in timeline order."""
    events = timeline(Event.objects.of_item(item.LAYER, item.pk))
    return [
        (
            e.kind,
            e.old_status,
            e.new_status,
            timezone.localtime(e.occurred_at).date().isoformat() if e.occurred_at else None,
            e.date_basis,
        )
        for e in events
    ]


def snapshot() -> tuple:
    """Everything an import writes, to compare before and after: items, events, ledger rows."""
    from subscriptions.models import Delivery

    items = sorted(
        ConstructionPermit.objects.values_list(
            "external_id", "status", "status_since", "status_date_known", "address", "withdrawn_at"
        )
    )
    events = sorted(Event.objects.values_list("id", "item_id", "kind", "new_status", "occurred_at"))
    return items, events, Delivery.objects.count()
