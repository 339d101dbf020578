"""The API answers as its OpenAPI schema says: schemathesis against the live /api/schema/.

Every operation of the schema the app serves is called with requests generated from that schema
(valid ones and, where the schema allows, invalid ones), in-process through the WSGI app against
the real database with a few items, reports and districts in it. Each answer must: not be a server
error, have a documented status, content type and headers, and match the documented body schema.
Bounded: EXAMPLES requests per operation, no shrinking; about a minute on two cores.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from layers.demo import load_demo

EXAMPLES = 25
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]


# Loaded when the module is collected: making the schema reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def some_data(db, submit):
    load_demo("construction-permits", 20, seed=3)
    submit(confirmed=True)
    # As Django's test client does: the WSGI handler would close the test's connection (and its
    # transaction) at the end of every request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_as_documented(case, some_data):
    case.call_and_validate(checks=[getattr(checks, name) for name in CHECKS])


@pytest.fixture
def signed_in(some_data, client):
    """Headers of a verified resident's session, with its CSRF token (sent by the browser page)."""
    from django.middleware.csrf import _get_new_csrf_string

    from tests.factories import UserFactory

    client.force_login(UserFactory(verified=True))
    token = _get_new_csrf_string()
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token}


@schema.include(path_regex="reports|subscriptions").parametrize()
@settings(
    max_examples=EXAMPLES // 2,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_signed_in_operations_answer_as_documented(case, signed_in):
    case.call_and_validate(headers=signed_in, checks=[getattr(checks, name) for name in CHECKS])
