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


# Georgian has one case. Since Unicode 11, str.upper() maps Mkhedruli (U+10D0–U+10FF) to Mtavruli
# (U+1C90–U+1CBF), capitals no Georgian text uses: "განცხადება" must never become "Განცხადება".
_MKHEDRULI = range(0x10D0, 0x1100)


def capfirst(text) -> str:
    """The text with a capital first letter, except where the script has no capitals to use."""
    text = str(text)
    if not text or ord(text[0]) in _MKHEDRULI:
        return text
    return text[0].upper() + text[1:]
