"""The profiles are built from the sections each app registers; the public one hides what must stay hidden."""

import pytest
from django.urls import reverse

from accounts.sections import private_sections, public_sections

pytestmark = pytest.mark.django_db


def test_every_app_contributes_its_section():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    from tests.factories import UserFactory

    request.user = UserFactory()
    assert [s.slug for s in private_sections(request)] == [
        "reports",
        "subscriptions",
        "forum",
        "notifications",
        "account",
    ]
    assert [s.slug for s in public_sections(request, request.user)] == ["reports", "forum"]


def test_the_public_profile_shows_the_name_never_the_email(client, resident):
    page = client.get(reverse("public-profile", args=[resident.pk])).content.decode()
    assert resident.display_name in page and resident.email not in page


def test_the_public_profile_lists_only_reports_with_the_name_shown(client, resident, submit):
    named = submit(user=resident, name="Nino B.", show_name=True, email=resident.email)
    anonymous = submit(
        user=resident, name="Nino B.", show_name=False, email=resident.email, description="კიდევ ერთი ნათურა არ ანათებს"
    )
    page = client.get(reverse("public-profile", args=[resident.pk])).content.decode()
    assert named.reference in page and anonymous.reference not in page


def test_city_staff_wear_a_badge(client, staff):
    page = client.get(reverse("public-profile", args=[staff.pk])).content.decode()
    assert "city-hall-badge" in page


def test_my_smart_map_shows_every_section(client, resident):
    client.force_login(resident)
    page = client.get(reverse("profile")).content.decode()
    for heading in ("My reports", "My subscriptions", "My discussions", "Notifications"):
        assert heading in page
