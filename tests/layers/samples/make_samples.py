"""Regenerate the binary sample registers (XLSX, GeoJSON in UTM 38N, GeoPackage) from the CSV.

.venv/bin/python tests/layers/samples/make_samples.py
"""

import csv
from pathlib import Path

import geopandas as gpd
import shapely
from openpyxl import Workbook
from pyproj import Transformer

HERE = Path(__file__).parent
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)


def xlsx_in_utm():
    with open(HERE / "construction_permits.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, data = rows[0], rows[1:]
    lat, lon = header.index("განედი"), header.index("გრძედი")
    book = Workbook()
    sheet = book.active
    sheet.title = "ნებართვები"
    sheet.append([h for i, h in enumerate(header) if i not in (lat, lon)] + ["X", "Y"])
    for row in data:
        x, y = TO_UTM.transform(float(row[lon]), float(row[lat])) if row[lat] and row[lon] else (None, None)
        sheet.append([v for i, v in enumerate(row) if i not in (lat, lon)] + [x, y])
    book.save(HERE / "construction_permits_utm.xlsx")


def trees_geojson_in_utm():
    rows = [
        (
            "EP-2024-101",
            "felling",
            3,
            "construction",
            "ჭავჭავაძის გამზ. 37",
            15,
            "15.03.2025",
            "განცხადება",
            "10.01.2024",
            (44.7560, 41.7105),
        ),
        (
            "EP-2024-101",
            "felling",
            3,
            "construction",
            "ჭავჭავაძის გამზ. 37",
            15,
            "15.03.2025",
            "გაცემული",
            "02.02.2024",
            (44.7560, 41.7105),
        ),
        (
            "EP-2024-102",
            "transplanting",
            1,
            "infrastructure",
            "ვაჟა-ფშაველას გამზ. 12",
            None,
            None,
            "ინსპექტირება",
            "20.02.2024",
            (44.7450, 41.7250),
        ),
        (
            "EP-2024-103",
            "felling",
            2,
            "hazard",
            "თამარ მეფის გამზ. 5",
            4,
            "01.06.2025",
            "შესრულებული",
            "05.03.2024",
            (44.7930, 41.7220),
        ),
        ("EP-2024-104", "felling", 1, "sanitary", "ბათუმი", None, None, "გაცემული", "05.03.2024", (41.6400, 41.6460)),
    ]
    features = []
    for permit_no, kind, trees, reason, address, plant, plant_by, status, date, (lon, lat) in rows:
        features.append(
            {
                "permit_no": permit_no,
                "kind": kind,
                "trees": trees,
                "reason": reason,
                "address": address,
                "plant": plant,
                "plant_by": plant_by,
                "status": status,
                "status_date": date,
                "geometry": shapely.Point(lon, lat),
            }
        )
    frame = gpd.GeoDataFrame(features, crs="EPSG:4326").to_crs("EPSG:32638")
    path = HERE / "tree_permits_utm38n.geojson"
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON")


def projects_geopackage():
    road = shapely.LineString([(44.7700, 41.7240), (44.7800, 41.7230), (44.7900, 41.7225)])
    park = shapely.Polygon([(44.7440, 41.7100), (44.7500, 41.7100), (44.7500, 41.7130), (44.7440, 41.7130)])
    square = shapely.Point(44.8015, 41.6934)
    frame = gpd.GeoDataFrame(
        [
            {
                "code": "TB-2025-001",
                "title": "პეკინის გამზირის რეაბილიტაცია",
                "agency": "ტრანსპორტისა და ურბანული განვითარების სააგენტო",
                "contractor": "შპს გზა",
                "budget": 12500000.0,
                "progress": 40,
                "status": "in progress",
                "status_date": "2025-04-01",
                "geometry": road,
            },
            {
                "code": "TB-2025-002",
                "title": "ვაკის პარკის კეთილმოწყობა",
                "agency": "კეთილმოწყობის საქალაქო სამსახური",
                "contractor": "",
                "budget": 3200000.0,
                "progress": 0,
                "status": "tendering",
                "status_date": "2025-05-12",
                "geometry": park,
            },
            {
                "code": "TB-2025-003",
                "title": "თავისუფლების მოედნის განათება",
                "agency": "შპს თბილსერვის ჯგუფი",
                "contractor": "შპს ნათება",
                "budget": 450000.0,
                "progress": 100,
                "status": "completed",
                "status_date": "2024-12-20",
                "geometry": square,
            },
        ],
        crs="EPSG:4326",
    )
    path = HERE / "projects.gpkg"
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GPKG", layer="projects")


if __name__ == "__main__":
    xlsx_in_utm()
    trees_geojson_in_utm()
    projects_geopackage()
