"""The profile's subscription entries speak the page's language down to the unit of a radius."""

from tests.subscriptions.conftest import make_subscription


def test_a_circles_radius_reads_in_georgian_metres(client, resident):
    make_subscription("circle", lon=44.7560, lat=41.7105, radius_m=800, user=resident, email=resident.email)
    client.force_login(resident)
    body = client.get("/ka/profile/").content.decode()
    assert "800 მ" in body
    assert "800 m" not in body
