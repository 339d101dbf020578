"""One text cleaner for everything a person types: what may pass, what is refused, and why.

Text reaches PostgreSQL, emails, feeds, XML and logs. Some characters break one of them, or fool
a reader, however carefully each escapes its own syntax:

- NUL cannot be stored in PostgreSQL text at all, and lone surrogates (which JSON's ``\\ud800``
  can carry) cannot be encoded as UTF-8: both are refused everywhere.
- The other control characters (C0, DEL, C1) mean nothing on a page and make XML invalid;
  only tab and line breaks are kept, and only in multi-line text (CR LF becomes LF).
- A single-line field (a name, an address, an email, a reference) refuses line breaks: a name
  with CR/LF ends up in a mail header, where it is an injection, not a name.
- Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make a name
  display as something else ("TB-‮123" reads backwards): single-line fields refuse them.
  Zero-width spaces and the byte-order mark are invisible: single-line fields drop them.

clean_text() raises TextError with a sentence a person understands; its callers (the request
edges in smartmap.parsers and smartmap.middleware, and the shared form and serializer fields)
attach the field's name.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

_SURROGATE = re.compile("[\ud800-\udfff]")
_NUL = "\x00"
# C0 except tab, LF and CR; DEL; C1.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("[\r\n\u2028\u2029\x85]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")


class TextError(ValueError):
    pass


def refuse_unstorable(text: str) -> None:
    """The rule for every string of every request: no NUL, no lone surrogate, no odd controls."""
    if _NUL in text:
        raise TextError(_("contains a NUL character, which text cannot hold"))
    if _SURROGATE.search(text):
        raise TextError(_("contains an invalid character (a lone surrogate)"))
    if _CONTROL.search(text):
        raise TextError(_("contains a control character"))


def clean_text(value, *, single_line: bool = False, max_length: int | None = None) -> str:
    """The text, checked and tidied: stripped, CR LF → LF, NFC; TextError when it is refused."""
    text = "" if value is None else str(value)
    refuse_unstorable(text)
    if single_line:
        if _LINE_BREAK.search(text):
            raise TextError(_("must be on one line"))
        if _BIDI.search(text):
            raise TextError(_("contains a text-direction control character"))
        text = _INVISIBLE.sub("", text).replace("\t", " ")
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text.strip())
    if max_length is not None and len(text) > max_length:
        raise TextError(_("is longer than %(max)d characters") % {"max": max_length})
    return text
