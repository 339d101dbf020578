"""What residents write: checked strictly at the edge, then rendered as a safe Markdown subset.

Checking (clean_title, clean_body) refuses, with a sentence for a person, what no honest post needs:
control characters, right-to-left overrides and other bidirectional controls, zero-width characters
(they hide text or turn a title around), raw HTML (the forum speaks Markdown; HTML is refused rather
than silently stripped, so nobody wonders where their text went), `javascript:`, `data:` and other
non-web links, and "words" longer than any real word (a 10,000-character run breaks every layout).
Nothing is stored when a check fails.

Rendering (render) uses markdown-it-py with HTML off and only the rules the forum offers (emphasis,
lists, links, quotes, code), then nh3 (ammonia) as a second, independent wall: only the tags that
Markdown subset can produce survive, and every link gets rel="nofollow ugc" so a spammer earns no
search ranking from us.
"""

import hashlib
import re
import unicodedata

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from smartmap.lib import text as shared_text

TITLE_LENGTH = (5, 150)
BODY_LENGTH = (2, 20_000)
SUMMARY_LENGTH = (2, 2_000)
LONGEST_WORD = 120  # the longest Georgian words are under 40 letters; links are counted apart
LINK_SCHEMES = ("http", "https", "mailto")

# Bidirectional controls (LRE … RLO, LRI … PDI, marks) and zero-width characters, named for the reader.
_INVISIBLE = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
}
_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_WORD = re.compile(r"\S+")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|www\.)", re.I)

ALLOWED_TAGS = {"p", "br", "strong", "em", "s", "ul", "ol", "li", "blockquote", "a", "code", "pre", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}

_md = (
    MarkdownIt("zero", {"html": False, "breaks": True})
    .enable(["emphasis", "list", "link", "autolink", "blockquote", "backticks", "fence", "code", "newline"])
    .enable(["strikethrough", "hr", "escape", "entity"])
)


class TextError(ValueError):
    """Refused text; the message is for the person who wrote it, in the page's language."""


def _messages(in_title: bool) -> dict[str, str]:
    """Whole sentences for the title and for the text: Georgian needs each said in full."""
    if in_title:
        return {
            "invisible": _(
                "The title contains an invisible or direction-changing character (U+%(code)04X); please remove it."
            ),
            "control": _("The title contains a control character; please remove it."),
            "word": _("The title has a word of %(n)d characters; words may be at most %(max)d."),
        }
    return {
        "invisible": _(
            "The text contains an invisible or direction-changing character (U+%(code)04X); please remove it."
        ),
        "control": _("The text contains a control character; please remove it."),
        "word": _("The text has a word of %(n)d characters; words may be at most %(max)d."),
    }


def _check_characters(text: str, *, in_title: bool) -> None:
    for ch in text:
        if ch in _INVISIBLE:
            raise TextError(_messages(in_title)["invisible"] % {"code": ord(ch)})
        if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t":  # CR LF from browsers, normalised below
            raise TextError(_messages(in_title)["control"])


def _check_words(text: str, *, in_title: bool) -> None:
    for word in _WORD.findall(text):
        if len(word) > LONGEST_WORD and not _URL.match(word.strip("<>()[]")):
            raise TextError(_messages(in_title)["word"] % {"n": len(word), "max": LONGEST_WORD})


def _check_length(text: str, bounds, *, empty: str, too_long: str) -> None:
    if len(text) < bounds[0]:
        raise TextError(empty)
    if len(text) > bounds[1]:
        raise TextError(too_long % {"max": bounds[1], "n": len(text)})


def _shared(raw, *, single_line: bool) -> str:
    """The portal's one text cleaner (NUL, lone surrogates, NFC) under the forum's stricter checks."""
    try:
        return shared_text.clean_text(raw, single_line=single_line)
    except shared_text.TextError as exc:
        raise TextError(str(exc)) from None


def clean_title(raw) -> str:
    _check_characters(str(raw or ""), in_title=True)
    title = " ".join(_shared(raw, single_line=False).split())
    _check_length(
        title,
        TITLE_LENGTH,
        empty=_("Please write a title of at least %(min)d characters.") % {"min": TITLE_LENGTH[0]},
        too_long=_("The title is %(n)d characters long; at most %(max)d are allowed."),
    )
    _check_words(title, in_title=True)
    if _HTML_TAG.search(title):
        raise TextError(_("HTML is not allowed in the title."))
    return title


def clean_body(raw, bounds=BODY_LENGTH) -> str:
    """The Markdown text as written, with line endings normalised, or TextError."""
    _check_characters(str(raw or ""), in_title=False)
    body = _shared(raw, single_line=False)
    _check_length(
        body,
        bounds,
        empty=_("Please write some text."),
        too_long=_("The text is %(n)d characters long; at most %(max)d are allowed."),
    )
    _check_words(body, in_title=False)
    if _HTML_TAG.search(_without_code(body)):
        raise TextError(
            _("HTML is not allowed. Use Markdown: *emphasis*, **bold**, > quote, - list, [link](https://…).")
        )
    for href in links(body):
        scheme = href.split(":", 1)[0].lower() if ":" in href else ""
        if scheme not in LINK_SCHEMES:
            raise TextError(_("Only web and email links are allowed (https://… or mailto:…)."))
    return body


def _without_code(body: str) -> str:
    """The text outside code spans and blocks, where `<div>` is an example, not HTML."""
    body = re.sub(r"```.*?(```|$)", "", body, flags=re.S)
    return re.sub(r"`[^`\n]*`", "", body)


def links(body: str) -> list[str]:
    """Every link target Markdown would make of the text (markdown-it's own parse, so none is missed)."""
    found = []
    for token in _md.parse(body):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrs.get("href", "")))
    # markdown-it drops a link whose target it finds dangerous; look for the raw form too.
    found += re.findall(r"\]\(\s*<?([^)\s>]+)", body)
    return found


def render(body: str) -> str:
    html = _md.render(body)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        link_rel="nofollow ugc",
    )


def text_hash(body: str) -> str:
    """The same text posted twice is recognised whatever the spacing or case."""
    normal = " ".join(body.lower().split())
    return hashlib.sha256(normal.encode()).hexdigest()


def quote(body: str, limit: int = 1500) -> str:
    """A passage as a Markdown quote, for the reply form."""
    passage = body.strip()[:limit]
    return "\n".join("> " + line if line else ">" for line in passage.splitlines()) + "\n\n"
