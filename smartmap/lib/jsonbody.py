"""One JSON reader for every body and every JSON-in-a-form field.

Python's json module recurses once per nesting level, so ``[[[[…]]]]`` twenty thousand deep is a
RecursionError (a 500) before any validation runs. read_json() first walks the text once,
counting brackets outside strings, and refuses anything deeper than MAX_DEPTH — GeoJSON needs 5
levels for a MultiPolygon inside an object; 32 leaves room. Then:

- NaN and ±Infinity (which Python accepts and JSON does not) are refused,
- integers are kept within ±2**53 (the range every JSON reader agrees on, RFC 7493), so no id or
  count can overflow a database column, and floats must be finite,
- every string, key or value, passes smartmap.lib.text.refuse_unstorable (no NUL, lone
  surrogates or control characters besides tab and line breaks),
- `require_object`: the document must be an object — every body the API takes is one.

Each refusal is a JSONBodyError with a sentence for a person.
"""

import json
import math

from django.utils.translation import gettext as _

from smartmap.lib.text import TextError, refuse_unstorable

MAX_DEPTH = 32
MAX_SAFE_INTEGER = 2**53


class JSONBodyError(ValueError):
    pass


def read_json(raw: bytes | str, *, require_object: bool = True, max_depth: int = MAX_DEPTH):
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise JSONBodyError(_("The body is not UTF-8 text.")) from None
    if _depth(raw) > max_depth:
        raise JSONBodyError(_("The JSON is nested more than %(max)d levels deep.") % {"max": max_depth})
    try:
        value = json.loads(raw, parse_constant=_no_constant, parse_int=_int, parse_float=_float)
    except JSONBodyError:
        raise
    except ValueError as exc:
        raise JSONBodyError(_("The body is not valid JSON (%(reason)s).") % {"reason": _reason(exc)}) from None
    _check_strings(value)
    if require_object and not isinstance(value, dict):
        raise JSONBodyError(_("The body must be a JSON object, {…}."))
    return value


def _depth(text: str) -> int:
    """The deepest bracket nesting outside strings, found without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str):
    raise JSONBodyError(_("%(name)s is not a JSON number.") % {"name": name})


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_SAFE_INTEGER:
        raise JSONBodyError(_("The number %(number)s is out of range.") % {"number": text[:20]})
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONBodyError(_("The number %(number)s is out of range.") % {"number": text[:20]})
    return value


def _reason(exc: ValueError) -> str:
    return getattr(exc, "msg", None) or str(exc)[:100]


def _check_strings(value) -> None:
    """Every key and string in the document; iterative, the depth is already bounded anyway."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                _check(key)
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def _check(text: str) -> None:
    try:
        refuse_unstorable(text)
    except TextError as exc:
        raise JSONBodyError(_("A text in the body: %(problem)s.") % {"problem": exc}) from None
