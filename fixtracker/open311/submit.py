"""POST requests: an Open311 service request becomes parse_report()'s fields and is filed.

Only the fields named here are passed on (so a client cannot slip in show_name or another
reporter's key), every rule of parse_report() applies, and its errors come back in the spec's
format with their own status (400, 403 for a block, 429 for too many reports).

An untrusted key's report waits for its reporter: the site's confirmation link (the same page and
single-use token as the web form's) is emailed, and the client gets a token of its own, signed,
that only ever reveals the service_request_id, and only once the report is public.
"""

import re

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.tokens import InvalidToken, make_token, read_token
from fixtracker.actions.submitting import do_submit_report
from fixtracker.models import Category, Open311Key, Report
from fixtracker.open311.formats import Open311Error
from fixtracker.open311.serializers import service_notice
from fixtracker.submission import ReportInputError, parse_report
from smartmap.lib.http import client_ip

ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\]$")
TOKEN_PURPOSE = "open311-request"
TOKEN_MAX_AGE = 400 * 24 * 3600
# parse_report's field names, as the Open311 client knows them.
PARAMETERS = {"category": "service_code", "location": "lat/long", "photos": "media", "address": "address_string"}


def client_key(request) -> Open311Key:
    key = Open311Key.find(request.POST.get("api_key") or request.GET.get("api_key"))
    if key is None:
        raise Open311Error(403, _("api_key was not provided or is not valid."))
    return key


def file_request(request, key: Open311Key) -> dict:
    """File the POSTed request; the answer's one element: the id when public at once, else a token."""
    data = _fields(request.POST)
    ip = client_ip(request)
    try:
        new = parse_report(
            data,
            request.FILES.getlist("media"),
            user=None,
            ip=ip,
            source=f"open311:{key.name}"[:60],
            client=True,
            email_required=not key.trusted,
        )
    except ReportInputError as exc:
        raise Open311Error(exc.status, f"{_parameter(exc.field)}: {exc.message}", exc.retry_after) from None
    report, _created = do_submit_report(
        new, ip=ip, confirmed=key.trusted, language=translation.get_language(), client=key.name
    )
    if key.trusted:
        return {"service_request_id": report.reference, "service_notice": service_notice(report), "account_id": None}
    return {"token": make_token(TOKEN_PURPOSE, report.pk)}


def _fields(post) -> dict:
    category = _category(post.get("service_code", "").strip())
    _location(post)
    if post.get("media_url", "").strip():
        raise Open311Error(
            400,
            _(
                "media_url is not accepted: send the photo itself as the multipart file “media”, "
                "so it can be checked and its location data removed."
            ),
        )
    data = {
        "category": category.slug,
        "lat": post["lat"],
        "lon": post["long"],
        "address": post.get("address_string", ""),
        "description": post.get("description", ""),
        "email": post.get("email", ""),
        # Open311 has no "show my name": the name is kept for staff and never published.
        "name": f"{post.get('first_name', '')} {post.get('last_name', '')}".strip(),
        "show_name": "",
    }
    data.update(_answers(post, category))
    return data


def _category(code: str) -> Category:
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = Category.objects.filter(slug=code, active=True).first()
    if category is None:
        raise Open311Error(400, _("service_code %(code)s was not found.") % {"code": code})
    return category


def _location(post):
    try:
        float(post.get("lat", "")), float(post.get("long", ""))
    except ValueError:
        raise Open311Error(
            400,
            _(
                "lat and long were not provided: a report needs its place in Tbilisi, "
                "an address_string alone is not enough."
            ),
        ) from None


def _answers(post, category: Category) -> dict:
    given = {}
    for name in post:
        match = ATTRIBUTE.match(name)
        if match:
            given[match.group(1)] = post.get(name, "")
    answers = {}
    for question in category.questions:
        value = str(given.get(question["key"], "")).strip()
        if question.get("required") and not value:
            raise Open311Error(400, _("attribute[%(code)s] is required.") % {"code": question["key"]})
        answers[f"answer_{question['key']}"] = value
    return answers


def _parameter(field: str) -> str:
    if field.startswith("answer_"):
        return f"attribute[{field.removeprefix('answer_')}]"
    return PARAMETERS.get(field, field)


def report_for_token(token: str) -> Report:
    try:
        report_id, _nonce = read_token(token, TOKEN_PURPOSE, TOKEN_MAX_AGE)
    except InvalidToken:
        raise Open311Error(404, _("The token was not found.")) from None
    report = Report.objects.filter(pk=int(report_id)).first()
    if report is None:
        raise Open311Error(404, _("The token was not found."))
    return report
