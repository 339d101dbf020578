"""The mapping format: unknown keys are refused by name, stages and statuses must be the layer's."""

import pytest

from layers.importing import Mapping, MappingError
from tests.layers.registers import mapping


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"stage": {"issued": "Issued"}},
            "unknown mapping key(s) stage; known: crs, date_formats, demo, duplicates, encoding, fields, geometry, id, layer, "
            "max_vanish, person_column, person_values, sheet, snapshot, source, stages, status",
        ),
        (
            {"status": {"column": "Status", "value": {}}},
            "unknown mapping key(s) status.value; known: status.column, status.date, status.keep_label, status.values",
        ),
        ({"geometry": {"latitude": "Lat"}}, "unknown mapping key(s) geometry.latitude; known: geometry.lat,"),
        (
            {"stages": {"demolished": "Demolished"}},
            "stages name unknown statuses: demolished; known: application_filed,",
        ),
        ({"duplicates": "first"}, "duplicates must be one of refuse, last, history, not 'first'"),
    ],
)
def test_it_refuses_what_the_format_does_not_know_and_says_what_it_does(change, message):
    with pytest.raises(MappingError) as error:
        Mapping.from_dict({**mapping(), **change})
    assert str(error.value).startswith(message)


def test_a_register_word_must_not_be_forced_into_a_status_it_does_not_mean():
    data = mapping()
    data["status"]["values"]["გაუქმებულია"] = "annulled"
    with pytest.raises(MappingError) as error:
        Mapping.from_dict(data)
    assert "never mapped to a status it does not mean" in str(error.value)


def test_the_permit_lifecycle_has_its_real_ends():
    from layers.models import ConstructionPermit, TreePermit

    for model in (ConstructionPermit, TreePermit):
        assert {"refused", "withdrawn_by_applicant", "cancelled", "expired"} <= set(model.Status.values)


def test_stages_keep_the_mappings_lifecycle_order():
    stages = Mapping.from_dict(mapping()).stages
    assert list(stages) == ["application_filed", "issued", "construction_started", "completed"]
