"""GET /api/v1/layers/<slug>/features/<id>/: one public item, its public details and its timeline."""

from django.utils import timezone

from layers.models import ConstructionPermit


def _permit(external_id):
    return ConstructionPermit.objects.get(source="tbilisi-urban-development", external_id=external_id)


def _detail(client, permit, **headers):
    return client.get(f"/api/v1/layers/construction-permits/features/{permit.pk}/", **headers)


def test_it_answers_a_feature_with_its_timeline_in_order(client, import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = _permit("A-2019-0001")
    response = _detail(client, permit, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == permit.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [44.756, 41.7105]}
    props = feature["properties"]
    assert props["reference"] == "N-2019-117"
    assert props["cadastral_codes"] == ["01.14.14.009.012"]
    assert (props["floors"], props["height_m"], props["construction_class"]) == (9, 31.5, 3)
    assert props["district"] == "Vake"
    assert props["applicant_org"] == "შპს თბილისი დეველოპმენტი"
    assert [(e["kind"], e["old_status"], e["new_status"]) for e in props["timeline"]] == [
        ("created", "", "application_filed"),
        ("status_changed", "application_filed", "under_review"),
        ("status_changed", "under_review", "issued"),
    ]
    assert props["timeline"][-1]["status_label"] == "permit issued"
    assert props["timeline"][0]["occurred_at"].startswith("2019-03-0")


def test_it_tells_how_many_days_a_public_consultation_has_left(client, import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = _permit("A-2024-0420")
    props = _detail(client, permit).json()["properties"]
    assert (props["consultation_start"], props["consultation_end"]) == ("2026-11-01", "2026-12-30")
    assert props["consultation_days_left"] == permit.consultation_days_left(timezone.localdate())
    assert props["consultation_open"] is (props["consultation_days_left"] is not None)


def test_it_publishes_nothing_about_a_private_applicant(client, import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    response = _detail(client, _permit("A-2024-0420"))
    assert "ბერიძე" not in response.content.decode()
    assert response.json()["properties"]["applicant_org"] == ""
    for private in ("external_id", "withdrawn_at", "point"):
        assert private not in response.json()["properties"]


def test_it_hides_a_withdrawn_item(client, import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = _permit("A-2019-0001")
    ConstructionPermit.objects.filter(pk=permit.pk).update(withdrawn_at=timezone.now())
    response = _detail(client, permit)
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}


def test_it_answers_404_for_an_item_of_another_layer(client, import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = _permit("A-2019-0001")
    assert client.get(f"/api/v1/layers/tree-permits/features/{permit.pk}/").status_code == 404
