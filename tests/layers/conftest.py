from pathlib import Path

import pytest

from layers.importing import Mapping, run_import

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def import_sample(db):
    """import_sample("construction_permits.csv", "construction_permits.yaml", commit=True) -> report"""

    def run(file_name, mapping_name, commit=True, **overrides):
        mapping = Mapping.load(SAMPLES / mapping_name)
        for key, value in overrides.items():
            setattr(mapping, key, value)
        return run_import(mapping, SAMPLES / file_name, commit=commit)

    return run
