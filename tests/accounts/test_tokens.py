"""Signed links: single use, expiring, bound to their purpose."""

import time

import pytest

from accounts.tokens import InvalidToken, UsedToken, consume_token, make_token, read_token


def test_it_returns_the_object_the_token_was_made_for(db):
    token = make_token("confirm-subscription", 42)
    assert consume_token(token, "confirm-subscription", max_age_seconds=60) == "42"


def test_it_works_once(db):
    token = make_token("unsubscribe", 7)
    consume_token(token, "unsubscribe", max_age_seconds=60)
    with pytest.raises(UsedToken):
        consume_token(token, "unsubscribe", max_age_seconds=60)
    with pytest.raises(UsedToken):
        read_token(token, "unsubscribe", max_age_seconds=60)


def test_it_refuses_a_token_made_for_another_purpose(db):
    token = make_token("unsubscribe", 7)
    with pytest.raises(InvalidToken):
        consume_token(token, "confirm-report", max_age_seconds=60)


def test_it_refuses_a_tampered_token(db):
    token = make_token("unsubscribe", 7)
    with pytest.raises(InvalidToken):
        consume_token(token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), "unsubscribe", 60)
    with pytest.raises(InvalidToken):
        consume_token("not-a-token", "unsubscribe", 60)


def test_it_refuses_an_expired_token(db):
    token = make_token("unsubscribe", 7)
    time.sleep(1.1)
    with pytest.raises(InvalidToken) as error:
        consume_token(token, "unsubscribe", max_age_seconds=1)
    assert not isinstance(error.value, UsedToken)


def test_it_makes_a_different_token_each_time(db):
    assert make_token("unsubscribe", 7) != make_token("unsubscribe", 7)
