from tests.fixtracker.conftest import lamp_out, submit  # noqa: F401
