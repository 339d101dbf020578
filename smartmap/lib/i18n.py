"""Language-neutral links: stored once (in events, emails' data), shown in the reader's language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def neutral_reverse(name: str, **kwargs) -> str:
    """The path of a language-prefixed page without its prefix: "/layers/…", not "/ka/layers/…".

    Opened as is, LocaleMiddleware sends the reader to their own language; prefix it with
    `localized(path, lang)` where the language is known (emails).
    """
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, kwargs=kwargs)
    prefix = f"/{settings.LANGUAGE_CODE}/"
    return "/" + path[len(prefix) :] if path.startswith(prefix) else path


def localized(path: str, language: str) -> str:
    return f"/{language}{path}"
