"""The two wire formats of GeoReport v2 and its error list, and the wrapper every view goes through.

A view returns a Document: the XML root tag and a body of dicts, lists and scalars. JSON writes
the body as it is; XML names each list's children by the spec's singular (services → service,
service_requests → request). Text goes through ElementTree, so it is escaped; characters XML 1.0
cannot carry at all (control characters someone typed into a description) are dropped first.
"""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CHILD_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """A failure the client is told about in the spec's error format; `status` is also the code.
    `retry_after`: for a 429, the seconds until one more fits (sent as the Retry-After header)."""

    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status, self.description, self.retry_after = status, str(description), retry_after


@dataclass
class Document:
    root: str
    body: object
    status: int = 200
    headers: dict = field(default_factory=dict)


def render(fmt: str, doc: Document) -> HttpResponse:
    if fmt == "json":
        content = json.dumps(doc.body, ensure_ascii=False).encode()
    else:
        element = _element(doc.root, doc.body)
        content = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode").encode()
    response = HttpResponse(content, status=doc.status, content_type=CONTENT_TYPES[fmt])
    for name, value in doc.headers.items():
        response[name] = value
    return response


def error_document(status: int, description: str) -> Document:
    return Document("errors", [{"code": status, "description": description}], status=status)


def _element(tag: str, value) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        for child in value:
            element.append(_element(CHILD_TAGS[tag], child))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))
    return element


def language_of(request) -> str:
    """`locale` (en, en_US, ka-GE …) when it names a language we speak, else what LocaleMiddleware chose."""
    wanted = (request.GET.get("locale") or request.POST.get("locale") or "").replace("_", "-").lower()
    if wanted:
        try:
            return translation.get_supported_language_variant(wanted)
        except LookupError:
            pass
    return translation.get_language() or settings.LANGUAGE_CODE


def endpoint(methods: tuple[str, ...] | None = ("GET",)):
    """Wrap a view that returns a Document: format, language, allowed methods (None: any) and spec errors."""
    allowed = None if methods is None else {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view):
        @wraps(view)
        def wrapper(request, fmt, *args, **kwargs):
            language = language_of(request)
            with translation.override(language):
                if allowed is not None and request.method not in allowed:
                    doc = error_document(405, _("This resource does not take %(method)s.") % {"method": request.method})
                    doc.headers["Allow"] = ", ".join(sorted(allowed))
                else:
                    try:
                        doc = view(request, *args, **kwargs)
                    except Open311Error as exc:
                        doc = error_document(exc.status, exc.description)
                        if exc.retry_after:
                            doc.headers["Retry-After"] = str(exc.retry_after)
                    except Http404:
                        doc = error_document(404, _("Not found."))
                response = render(fmt, doc)
            response["Content-Language"] = language
            patch_vary_headers(response, ["Accept-Language"])
            return response

        return wrapper

    return decorate
