"""What a person can do with their own account: download everything kept about them, and delete it.

Both ask every app through its profile section (accounts.sections), so this module names no app.

The download is a ZIP: data.json (the account and each app's part, keyed by the section's slug) and
the files the apps add (a report's photos as they were sent). Deleting the account follows the
rules residents were promised: forum posts stay, signed "deleted account"; reports stay, anonymous;
subscriptions and personal data are gone. One transaction: if any app's erase fails, nothing is
deleted and the person can try again.
"""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from accounts.sections import all_sections


def account_data(user) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
    }


def export_zip(user) -> bytes:
    data = {"account": account_data(user)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in all_sections():
            if section.export is not None:
                data[section.slug] = section.export(user)
            for name, opened in section.files(user) if section.files is not None else []:
                with opened:
                    archive.writestr(name, opened.read())
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    return buffer.getvalue()


@transaction.atomic
def do_delete_account(user) -> None:
    for section in all_sections():
        if section.erase is not None:
            section.erase(user)
    user.delete()
