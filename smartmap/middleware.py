"""The request edge: text that cannot be stored, and bodies too big or malformed, are refused here.

Every request passes HostileInput before any view. It checks the path, every query-string name
and value, and (for form and multipart bodies) every posted name and value against
smartmap.lib.text.refuse_unstorable: a NUL byte, a lone surrogate or a stray control character is
a 400 naming the field, before a view can hand it to PostgreSQL (which cannot store NUL) or to a
mail header. JSON bodies get the same rule from smartmap.parsers. Reading the form here also
surfaces Django's own refusals — a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a broken
multipart body — as our answer instead of Django's bare HTML page.

The answer takes the shape of where it was sent: the API's JSON error ({"detail", "code",
"errors"}), Open311's error list in the requested format, or a page in the visitor's language.
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from smartmap import errors
from smartmap.lib.text import TextError, refuse_unstorable

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class HostileInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            problem = _problem(request)
        except RequestDataTooBig:
            return errors.refusal(request, 413, "too_large", errors.body_too_large_message())
        except (TooManyFieldsSent, MultiPartParserError, SuspiciousOperation, UnicodeDecodeError):
            return errors.refusal(request, 400, "invalid", _("The form data is malformed or has too many fields."))
        if problem is not None:
            field, message = problem
            return errors.refusal(request, 400, "invalid", message, field)
        return self.get_response(request)


def _problem(request) -> tuple[str, str] | None:
    """(field, message) for the first text that must be refused, or None."""
    checks = [("path", request.path_info)]
    checks += _pairs(request.GET)
    if request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES:
        checks += _pairs(request.POST)
    for field, text in checks:
        try:
            refuse_unstorable(text)
        except TextError as exc:
            return _field_name(field), f"{_field_name(field)}: {exc}"
        if field == "path" and ("\n" in text or "\r" in text):
            return "path", f"path: {_('must be on one line')}"
    return None


def _pairs(query) -> list[tuple[str, str]]:
    pairs = []
    for key, values in query.lists():
        pairs.append((key, key))
        pairs += [(key, value) for value in values]
    return pairs


def _field_name(field: str) -> str:
    """A field name fit to be shown back: a refused name is shown without its bad characters."""
    return "".join(c for c in field if c.isprintable())[:50] or "?"
