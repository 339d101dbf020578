"""Staff edit items in the admin: imported fields stay read-only, every save reaches the timeline."""

from django.contrib.gis.geos import Point

from layers.actions import do_save_item
from layers.models import ConstructionPermit, Event, InfrastructureProject


def _manual_project(**extra):
    return InfrastructureProject(
        reference="TB-M-1",
        title="ახალი სკვერი",
        slug="new-square",
        status="planned",
        geom=Point(44.7470, 41.7110, srid=4326),
        **extra,
    )


def test_it_files_a_new_item_and_records_its_creation(admin_user):
    project = do_save_item(_manual_project(), actor=admin_user, changed=[], old_status=None)
    assert project.district.name_en == "Vake"
    assert project.point == project.geom
    event = Event.objects.get(layer="projects", item_id=project.pk)
    assert (event.kind, event.new_status, event.actor) == ("created", "planned", admin_user)


def test_it_records_a_status_change_and_other_changes_separately(admin_user):
    project = do_save_item(_manual_project(), actor=admin_user, changed=[], old_status=None)
    project.status, project.progress = "in_progress", 20
    do_save_item(project, actor=admin_user, changed=["status", "progress"], old_status="planned")
    kinds = list(Event.objects.filter(item_id=project.pk, layer="projects").order_by("id").values_list("kind", "data"))
    assert kinds == [("created", {}), ("status_changed", {}), ("updated", {"changed": ["progress"]})]


def test_it_sanitises_a_project_page(admin_user):
    project = _manual_project(
        body='<p onclick="steal()">გამარჯობა<script>alert(1)</script></p><a href="javascript:x">x</a>'
    )
    do_save_item(project, actor=admin_user, changed=[], old_status=None)
    project.refresh_from_db()
    assert "script" not in project.body and "onclick" not in project.body and "javascript" not in project.body
    assert "გამარჯობა" in project.body


def test_it_keeps_imported_fields_read_only_in_the_admin(admin_client, import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    permit = ConstructionPermit.objects.get(external_id="A-2019-0001")
    page = admin_client.get(f"/en/admin/layers/constructionpermit/{permit.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status"' not in html and 'name="address"' not in html  # register fields: read-only
    assert 'name="consultation_info"' in html  # staff-written context: editable


def test_it_lets_staff_add_a_project_in_the_admin(admin_client, admin_user):
    response = admin_client.post(
        "/en/admin/layers/infrastructureproject/add/",
        {
            "reference": "TB-A-7",
            "title": "Lighting of Vake Park",
            "status": "planned",
            "slug": "vake-lighting",
            "geom": '{"type": "Point", "coordinates": [44.747, 41.711]}',
            "progress": "0",
            "documents": "[]",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    project = InfrastructureProject.objects.get(slug="vake-lighting")
    assert project.source == "manual" and project.district.name_en == "Vake"
    assert Event.objects.filter(layer="projects", item_id=project.pk, kind="created", actor=admin_user).exists()
