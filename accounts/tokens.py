"""Signed, single-use, expiring tokens for every emailed link (confirmations, unsubscribes).

A token is ``django.core.signing`` output over ``{"p": purpose, "o": object id, "n": nonce}`` with a
timestamp, salted by purpose, so a token made for one purpose can never be replayed for another.
``consume()`` checks signature and age and then records the nonce in ``ConsumedToken``; the unique
constraint on the nonce makes the second use fail even when two clicks race.
"""

import secrets

from django.core import signing
from django.db import IntegrityError, transaction

from accounts.models import ConsumedToken


class InvalidToken(Exception):
    """The link is malformed, forged, made for something else, or expired."""


class UsedToken(InvalidToken):
    """The link was valid but has been used already."""


def make_token(purpose: str, object_id) -> str:
    payload = {"p": purpose, "o": str(object_id), "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=f"smartmap.{purpose}", compress=True)


def read_token(token: str, purpose: str, max_age_seconds: int) -> tuple[str, str]:
    """Return (object id, nonce) without consuming; raise InvalidToken or UsedToken."""
    try:
        payload = signing.loads(token, salt=f"smartmap.{purpose}", max_age=max_age_seconds)
    except signing.SignatureExpired:
        raise InvalidToken("expired") from None
    except signing.BadSignature:
        raise InvalidToken("bad signature") from None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise InvalidToken("wrong purpose")
    if ConsumedToken.objects.filter(nonce=payload["n"]).exists():
        raise UsedToken("already used")
    return payload["o"], payload["n"]


def consume_token(token: str, purpose: str, max_age_seconds: int) -> str:
    """Check the token, mark it used and return the object id it was made for."""
    object_id, nonce = read_token(token, purpose, max_age_seconds)
    try:
        # A savepoint, so a losing race rolls back only this insert, not the caller's transaction.
        with transaction.atomic():
            ConsumedToken.objects.create(nonce=nonce, purpose=purpose)
    except IntegrityError:
        raise UsedToken("already used") from None
    return object_id


def link_state(token: str, purpose: str, max_age_seconds: int) -> tuple[str, str | None]:
    """For the pages behind emailed links: ("ok", object id), ("used", object id) or ("invalid", None)."""
    try:
        object_id, _nonce = read_token(token, purpose, max_age_seconds)
    except UsedToken:
        try:
            payload = signing.loads(token, salt=f"smartmap.{purpose}")
            return "used", payload.get("o")
        except signing.BadSignature:
            return "invalid", None
    except InvalidToken:
        return "invalid", None
    return "ok", object_id


def consume_quietly(token: str, purpose: str, max_age_seconds: int) -> None:
    """Mark the link used; a second click racing the first is not an error for the person."""
    try:
        consume_token(token, purpose, max_age_seconds)
    except InvalidToken:
        pass
