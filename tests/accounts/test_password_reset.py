"""Password reset by email, end to end through allauth's pages."""

import re

from django.core import mail


def test_it_resets_a_forgotten_password(client, resident):
    response = client.post("/en/accounts/password/reset/", {"email": resident.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+(/en/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(form_url, {"password1": "ახალი-პაროლი-2026", "password2": "ახალი-პაროლი-2026"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("ახალი-პაროლი-2026")


def test_it_does_not_reveal_whether_an_address_has_an_account(client, db):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.ge"})
    assert response.status_code == 302
