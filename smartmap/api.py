"""API conventions shared by every app: one JSON error shape.

Every error answers ``{"detail": "<one sentence for a person>", "code": "<machine code>"}``; a
validation error adds ``"errors": {field: [messages]}``. Messages follow the request's language.
"""

from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"detail": _first_message(errors), "code": "invalid", "errors": flat_errors(errors)}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else str(response.data)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": code}
    return response


def flat_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """{"events": {"0": ["…"]}} → {"events.0": ["…"]}: always field → list of sentences, as documented."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            flat.update(flat_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        flat = {}
        for index, value in enumerate(errors):
            if value:
                flat.update(flat_errors(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for field, value in errors.items():
            message = _first_message(value)
            return message if field == "non_field_errors" else f"{field}: {message}"
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return str(errors) or _("Invalid input.")


def bad_request(message: str, field: str | None = None) -> Response:
    body = {"detail": message, "code": "invalid"}
    if field:
        body = {"detail": f"{field}: {message}", "code": "invalid", "errors": {field: [message]}}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


@csrf_exempt  # an unknown path answers 404 whatever the method, never a CSRF page
def not_found(request, *args, **kwargs):
    """Any unknown path under /api/: the same JSON error shape as every other API answer."""
    from django.http import JsonResponse

    return JsonResponse({"detail": _("There is no such API endpoint."), "code": "not_found"}, status=404)
