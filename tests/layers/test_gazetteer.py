"""The offline gazetteer: demo places, CSV files, and addresses from imports."""

import pytest
from django.core.management.base import CommandError

from layers.models import GazetteerEntry


def test_it_loads_the_demo_places_once(call):
    call("load_gazetteer")
    output = call("load_gazetteer")
    assert "0 created, 48 updated" in output
    square = GazetteerEntry.objects.get(name_en="Freedom Square")
    assert square.is_demo and square.district.name_en == "Mtatsminda"
    assert "tavisuplebis moedani" in square.search_text and "freedom square" in square.search_text


def test_it_skips_places_outside_tbilisi(call, tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "kind,name_ka,name_en,lon,lat\nplace,ბულვარი,Boulevard,41.63,41.65\nplace,ფილარმონია,Philharmonic,44.7944,41.7064\n"
    )
    assert "1 created, 0 updated, 1 outside Tbilisi" in call("load_gazetteer", str(path), "--source", "city")


@pytest.mark.parametrize(
    "content, reason",
    [
        ("name_ka,lon,lat\nა,44.8,41.7\n", "has no column(s) kind"),
        ("kind,name_ka,lon,lat\nplace,ა,east,41.7\n", "row 2: lon/lat are not numbers"),
        ("kind,name_ka,lon,lat\ncastle,ა,44.8,41.7\n", "row 2: unknown kind 'castle'"),
    ],
)
def test_it_refuses_a_bad_file_with_the_reason(call, tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as error:
        call("load_gazetteer", str(path))
    assert reason in str(error.value)
    assert not GazetteerEntry.objects.filter(source="file").exists()


def test_it_files_imported_addresses_as_searchable_places(import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    entry = GazetteerEntry.objects.get(kind="address", name_ka="ი. ჭავჭავაძის გამზ. 64")
    assert entry.source == "tbilisi-urban-development"
    assert "chavchavadzis" in entry.search_text
