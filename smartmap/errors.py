"""Refusals in the shape of where they were sent, for the edge (middleware) and Django's handlers.

Under /api/ the answer is the API's JSON error (smartmap.api); under /open311/ it is the
GeoReport error list in the requested format; anywhere else a page in the visitor's language.
Django's own 400 and 500 handlers go through here too (smartmap.urls sets handler400/handler500),
so a refusal raised deep inside Django — a body over the size limit read by a view — still answers
in the API's shape, never with Django's bare HTML.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _


def body_too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return _("The request body is larger than %(size)s MB.") % {"size": f"{limit / 1_000_000:.1f}"}


def refusal(request, status: int, code: str, message: str, field: str | None = None):
    path = request.path_info
    if path.startswith("/api/"):
        body = {"detail": message, "code": code}
        if field:
            body["errors"] = {field: [message]}
        return JsonResponse(body, status=status)
    if path.startswith("/open311/"):
        from fixtracker.open311.formats import error_document, render

        return render("xml" if path.endswith(".xml") else "json", error_document(status, message))
    from smartmap.views import message as message_page

    return message_page(request, _("The request was refused"), message, status=status)


def bad_request(request, exception=None):
    """handler400: SuspiciousOperation, BadRequest and a body over the size limit."""
    if isinstance(exception, RequestDataTooBig):
        return refusal(request, 413, "too_large", body_too_large_message())
    return refusal(request, 400, "invalid", _("The request is malformed."))


def server_error(request):
    """handler500: never reached by a request we can foresee; the API still answers its own shape."""
    if request.path_info.startswith(("/api/", "/open311/")):
        return refusal(request, 500, "error", _("Something went wrong on our side; please try again later."))
    from django.views.defaults import server_error as default

    return default(request)
