"""Fix-Tbilisi's report fixtures, for the profile tests."""

from tests.fixtracker.conftest import english, lamp_out, submit  # noqa: F401
