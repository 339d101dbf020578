"""The event spine's fan-out is wired in the apps' ready(), where a reader looks for it."""

from pathlib import Path

from layers.events import events_recorded
from layers.tiles import on_events_recorded as expire_tiles
from subscriptions.matching import on_events_recorded as match_subscriptions

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "fixtracker", "forum", "layers", "places", "smartmap", "subscriptions")


def test_it_connects_every_receiver_once():
    receivers = [entry[1]() for entry in events_recorded.receivers]  # (key, weak reference, is_async)
    assert receivers.count(expire_tiles) == 1
    assert receivers.count(match_subscriptions) == 1


def test_it_connects_receivers_only_in_app_configs():
    """No decorator that works only because some other module happened to be imported."""
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text()
            assert "@receiver(events_recorded" not in source, path
            if "events_recorded.connect(" in source:
                assert path.name == "apps.py", path
