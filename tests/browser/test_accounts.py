"""Sign up with email verification, log out, log in: end to end in Chromium."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.browser
PASSWORD = "tbilisi-ghamurebi-2026"


def test_it_signs_up_verifies_the_email_and_logs_in(live, open_context, shot):
    page = open_context(locale="en-GB").new_page()
    page.goto(live.url + "/en/accounts/signup/")
    page.fill("input[name=email]", "tamar@example.ge")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shot(page, "signup")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    assert User.objects.filter(email="tamar@example.ge", is_active=True).exists()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    shot(page, "confirm")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/en/")
    assert page.locator(".topnav .who").is_visible()

    page.click("text=Log out")
    page.wait_for_selector("text=Log in")
    page.click("text=Log in")
    page.fill("input[name=login]", "tamar@example.ge")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/en/")
    assert page.locator(".topnav .who").is_visible()


def test_it_refuses_a_login_with_a_wrong_password_in_georgian(live, open_context, shot):
    page = open_context().new_page()
    page.goto(live.url + "/ka/accounts/login/")
    page.fill("input[name=login]", "nobody@example.ge")
    page.fill("input[name=password]", "wrong-password")
    page.click("main form button[type=submit]")
    error = page.locator(".errorlist, [role=alert], .alert").first
    error.wait_for()
    shot(page, "login-error-ka")
    assert re.search(r"[ა-ჰ]", error.inner_text()), error.inner_text()
