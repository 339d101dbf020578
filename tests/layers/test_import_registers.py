"""Importing real-shaped registers: Georgian headers, BOM CSV, XLSX, GeoJSON and GeoPackage, any CRS."""

import pytest

from layers.models import ConstructionPermit, Event, ImportRun, InfrastructureProject, TreePermit


def _permit(external_id):
    return ConstructionPermit.objects.get(source="tbilisi-urban-development", external_id=external_id)


def test_it_imports_a_georgian_csv_with_a_bom(import_sample):
    report = import_sample("construction_permits.csv", "construction_permits.yaml")
    assert (report.run.created, report.run.rejected) == (4, 5)
    permit = _permit("A-2019-0001")
    assert permit.reference == "N-2019-117"
    assert permit.status == "issued"
    assert permit.cadastral_codes == ["01.14.14.009.012"]
    assert permit.construction_class == 3  # "III"
    assert permit.height_m == 31.5 and permit.k2 == 2.1  # decimal commas
    assert permit.documents == [{"url": "https://tas.ge/docs/N-2019-117.pdf", "title": "N-2019-117.pdf"}]
    assert permit.district.name_en == "Vake"
    assert _permit("A-2025-0001").cadastral_codes == ["01.13.02.004.003", "01.13.02.004.004"]


def test_it_reads_dd_mm_yyyy_dates_as_tbilisi_days(import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    from django.utils import timezone

    since = timezone.localtime(_permit("A-2019-0001").status_since)
    assert (since.year, since.month, since.day) == (2019, 5, 2)


def test_it_never_publishes_a_private_applicants_name(import_sample, client):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = _permit("A-2024-0420")
    assert permit.applicant_org == ""
    assert not ConstructionPermit.objects.filter(applicant_org__contains="ბერიძე").exists()
    assert not Event.objects.filter(title__contains="ბერიძე").exists()


def test_it_turns_each_stage_of_history_into_a_dated_event(import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = _permit("A-2019-0001")
    events = Event.objects.filter(layer="construction-permits", item_id=permit.pk).order_by("occurred_at")
    assert [(e.kind, e.old_status, e.new_status) for e in events] == [
        ("created", "", "application_filed"),
        ("status_changed", "application_filed", "under_review"),
        ("status_changed", "under_review", "issued"),
    ]
    assert [e.occurred_at.year for e in events] == [2019, 2019, 2019]
    assert all(e.district_id == permit.district_id for e in events)


def test_it_marks_an_opening_public_consultation(import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = _permit("A-2024-0420")
    event = Event.objects.get(layer="construction-permits", item_id=permit.pk)
    assert (event.kind, event.new_status) == ("created", "public_consultation")
    assert permit.consultation_end.isoformat() == "2026-12-30"


def test_it_imports_excel_with_coordinates_in_utm_38n(import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    csv_points = {p.external_id: p.point for p in ConstructionPermit.objects.all()}
    report = import_sample("construction_permits_utm.xlsx", "construction_permits_utm.yaml")
    # The same register in EPSG:32638 lands on the same places: nothing changes.
    assert (report.run.created, report.run.updated, report.run.unchanged) == (0, 0, 4)
    assert {p.external_id: p.point for p in ConstructionPermit.objects.all()} == csv_points


def test_it_imports_excel_into_an_empty_layer(import_sample):
    report = import_sample("construction_permits_utm.xlsx", "construction_permits_utm.yaml")
    assert report.run.created == 4
    vake = _permit("A-2019-0001").point
    assert abs(vake.x - 44.7560) < 1e-6 and abs(vake.y - 41.7105) < 1e-6


def test_it_imports_a_geojson_in_utm_38n(import_sample):
    report = import_sample("tree_permits_utm38n.geojson", "tree_permits.yaml")
    assert (report.run.created, report.run.rejected) == (3, 1)
    assert report.rejections[0].reason.endswith("is outside Tbilisi")
    felling = TreePermit.objects.get(external_id="EP-2024-101")
    assert (felling.status, felling.kind, felling.tree_count, felling.compensation_trees) == (
        "issued",
        "felling",
        3,
        15,
    )
    assert felling.compensation_due.isoformat() == "2025-03-15"
    assert abs(felling.point.x - 44.7560) < 1e-6


def test_it_imports_lines_and_areas_from_a_geopackage(import_sample):
    report = import_sample("projects.gpkg", "projects.yaml")
    assert report.run.created == 3
    kinds = dict(InfrastructureProject.objects.values_list("external_id", "geom"))
    assert kinds["TB-2025-001"].geom_type == "LineString"
    assert kinds["TB-2025-002"].geom_type == "Polygon"
    project = InfrastructureProject.objects.get(external_id="TB-2025-002")
    assert project.geom.covers(project.point)
    assert project.slug == "tbilisi-city-hall-tb-2025-002"
    assert project.budget_gel == 3200000


def test_it_keeps_every_run_with_its_rejected_rows(import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml", commit=False)
    import_sample("construction_permits.csv", "construction_permits.yaml")
    dry, committed = ImportRun.objects.order_by("started_at")
    assert (dry.outcome, committed.outcome) == ("dry_run", "committed")
    assert dry.created == committed.created == 4
    assert {
        "row": 9,
        "reason": "unknown status word 'დაკარგულია'",
        "code": "unknown status word",
    } in committed.rejected_rows


@pytest.mark.parametrize(
    "row, reason",
    [
        (8, "location 41.64600, 41.64000 is outside Tbilisi"),
        (9, "unknown status word 'დაკარგულია'"),
        (10, "column 'სტატუსის თარიღი': cannot read '31.02.2025' as a date (expected e.g. 17.05.2024 or 2024-05-17)"),
        (11, "no geometry (location)"),
        (12, "column 'სართულიანობა': cannot read 'სამი' as a number"),
    ],
)
def test_it_skips_each_kind_of_bad_row_with_its_row_number_and_reason(import_sample, row, reason):
    report = import_sample("construction_permits.csv", "construction_permits.yaml")
    assert (row, reason) in [(r.row, r.reason) for r in report.rejections]


def test_it_reads_a_csv_in_the_encoding_the_mapping_names(db, tmp_path):
    from layers.importing import ImportRefused, Mapping, run_import
    from tests.layers.conftest import SAMPLES

    # Georgian has no cp1251 letters; UTF-16 (what some Windows tools write) shows the same path.
    path = tmp_path / "permits.csv"
    path.write_bytes((SAMPLES / "construction_permits.csv").read_text(encoding="utf-8-sig").encode("utf-16"))
    mapping = Mapping.load(SAMPLES / "construction_permits.yaml")
    with pytest.raises(ImportRefused, match="is not UTF-8 text; .* name its encoding in the mapping"):
        run_import(mapping, path, commit=False)
    mapping.encoding = "utf-16"
    assert run_import(mapping, path, commit=True).run.created == 4
