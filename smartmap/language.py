"""The page's language for everything the page loads.

Pages carry their language in the address (/ka/…, /en/…). What a page loads from unprefixed paths
(the API, search, districts) would otherwise get LocaleMiddleware's guess, and the language cookie
comes first there: after one visit in English, a /ka/ map showed English layer names, statuses and
popups. The address beats the cookie, so for an unprefixed path the language is, in order:

1. a `lang` query parameter naming one of settings.LANGUAGES (explicit, and part of the URL, so
   caches keep the two languages apart);
2. the language prefix of the page that asked: the same-site Referer, which browsers send in full
   under SecurityMiddleware's default `Referrer-Policy: same-origin`;
3. LocaleMiddleware's own choice (cookie, then Accept-Language), for clients that are not a page.

It runs after LocaleMiddleware and only corrects its choice; language-prefixed pages are left alone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

_LANGUAGES = {code for code, _ in settings.LANGUAGES}


def _prefix(path: str) -> str | None:
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in _LANGUAGES else None


def page_language(request) -> str | None:
    """The language the page behind this request speaks, or None when nothing says."""
    asked = request.GET.get("lang")
    if asked in _LANGUAGES:
        return asked
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc == request.get_host():
        return _prefix(referer.path)
    return None


class PageLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None if _prefix(request.path_info) else page_language(request)
        if language is None:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if request.GET.get("lang") != language:
            patch_vary_headers(response, ["Referer"])  # the answer depended on the asking page
        return response
