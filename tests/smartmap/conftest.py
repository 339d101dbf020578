# The Fix-Tbilisi personas and report factory, for the tests that walk every endpoint.
from tests.fixtracker.conftest import lamp_out, submit, tbilservice_staff  # noqa: F401
