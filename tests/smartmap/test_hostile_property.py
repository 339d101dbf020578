"""Property: whatever hostile value lands in whatever parameter of whatever endpoint, the answer is
never a server error and always the documented error shape.

Hypothesis picks an endpoint, a place for the value (a path segment, a query parameter, a JSON
member, a form field) and the value itself: control characters and NUL, lone surrogates, bidi
overrides, Unicode digits, numbers that overflow, extreme dates, very long text, deep or odd JSON.
Bounded by EXAMPLES (no shrinking phase), so it takes well under a minute.
"""

import json
import string

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

EXAMPLES = 300
REF = "{ref}"
# (method, url with {v} where a path value goes, parameter names for query/body values)
ENDPOINTS = [
    ("GET", "/api/v1/layers/", ()),
    ("GET", "/api/v1/layers/{v}/features/", ("bbox", "status", "district", "from", "to", "q", "limit", "offset")),
    ("GET", "/api/v1/layers/construction-permits/features/{v}/", ()),
    ("GET", "/api/v1/layers/construction-permits/tiles/{v}/1/1.mvt", ("status", "district", "from", "to", "q")),
    ("POST", "/api/v1/layers/construction-permits/count/", ("area", "status", "district", "from", "to")),
    ("GET", "/api/v1/search/", ("q",)),
    ("GET", "/api/v1/districts/", ("contains",)),
    (
        "POST",
        "/api/v1/reports/",
        ("category", "lon", "lat", "description", "address", "email", "name", "idempotency_key"),
    ),
    ("GET", "/api/v1/reports/{v}/", ()),
    ("POST", "/api/v1/reports/" + REF + "/support/", ("email",)),
    ("GET", "/api/v1/reports/nearby/", ("lon", "lat", "category")),
    (
        "POST",
        "/api/v1/subscriptions/",
        ("email", "name", "area", "district", "point", "radius_m", "city", "item", "topics", "events", "frequency"),
    ),
    ("POST", "/api/v1/subscriptions/preview/", ("area", "district", "topics", "events")),
    ("GET", "/api/v1/subscriptions/{v}/", ()),
    ("GET", "/open311/v2/services/{v}.json", ("locale",)),
    (
        "GET",
        "/open311/v2/requests.json",
        ("service_code", "status", "start_date", "end_date", "service_request_id", "page"),
    ),
    (
        "POST",
        "/open311/v2/requests.json",
        ("api_key", "service_code", "lat", "long", "description", "email", "first_name"),
    ),
    ("GET", "/open311/v2/requests/{v}.json", ()),
    ("GET", "/open311/v2/tokens/{v}.xml", ()),
    (
        "GET",
        "/api/v1/opendata/tree-permits.csv",
        ("bbox", "status", "district", "q", "territory", "area", "from", "to", "kind", "category"),
    ),
    ("GET", "/api/v1/opendata/reports.geojson", ("status", "territory", "area", "from", "to", "kind", "category")),
    ("GET", "/api/v1/opendata/status-history.csv", ("layer", "district", "from", "to")),
    ("GET", "/api/v1/opendata/{v}.csv", ()),
    ("GET", "/api/v1/opendata/projects.{v}", ()),
    ("GET", "/api/v1/opendata/{v}/dictionary/", ()),
    ("GET", "/api/v1/opendata/catalogue.jsonld", ("x",)),
    ("GET", "/api/v1/opendata/dumps/", ("x",)),
    ("GET", "/en/feeds/area.atom", ("bbox", "topics")),
    ("GET", "/en/feeds/subscriptions/{v}.atom", ()),
    ("GET", "/en/reports/{v}/", ()),
    ("GET", "/en/layers/construction-permits/", ("q", "status", "district", "page")),
    ("POST", "/en/subscribe/", ("email", "name", "area_kind", "area_geojson", "district", "lon", "lat", "radius_m")),
]

NASTY = [
    "\x00",
    "a\x00b",
    "\r\n",
    "Bcc: x@example.ge\r\n",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x07",
    "\x1b[2J",
    "²",
    "٣",
    "١٢",
    "３",
    "40000",
    "99999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-0",
    "1" * 5000,
    "9999-12-31",
    "0001-01-01",
    "2025-02-30",
    "../../etc/passwd",
    "%00",
    "' OR 1=1 --",
    "<script>",
    "{}",
    "[]",
    "null",
    "a" * 10_000,
    "TB-٣",
    "TB-99999999999999999999",
    "44.8,41.7",
    "-181,91,180,90",
    "",
]
text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60),
    st.text(alphabet="\x00\x01\x0b\x1f\x7f\x85\u2028\u202e²٣0123456789-.,:" + string.ascii_letters, max_size=30),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text_values,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text_values, children, max_size=4),
    max_leaves=12,
)
documents = st.one_of(
    json_values,
    st.sampled_from(["[" * 5000 + "]" * 5000, '{"a":' * 100 + "1" + "}" * 100, "\ud800", "{nope"]),
)


@pytest.fixture
def world(db, submit):
    report = submit(confirmed=True)
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ka"), report.reference


def _path_value(value) -> str:
    from urllib.parse import quote

    return quote(str(value).encode("utf-8", "surrogatepass"), safe="") or "x"


def assert_documented_error(response, url: str):
    assert response.status_code < 500, (url, response.status_code, response.content[:300])
    if response.status_code < 400 or not url.startswith(("/api/", "/open311/")):
        return
    if url.endswith(".xml"):
        assert b"<errors><error><code>" in response.content, (url, response.content[:200])
        return
    assert response["Content-Type"].startswith("application/json"), (url, response.status_code, response.content[:200])
    body = json.loads(response.content)
    if url.startswith("/api/"):
        assert isinstance(body.get("detail"), str) and body["detail"] and isinstance(body.get("code"), str), body
        errors = body.get("errors", {})
        assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in errors.values()), body
    else:
        assert isinstance(body, list) and body and {"code", "description"} <= set(body[0]), body


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    where=st.sampled_from(["path", "query", "json", "form", "raw"]),
    value=json_values,
    document=documents,
    param_index=st.integers(min_value=0, max_value=20),
)
def test_no_hostile_value_makes_a_server_error(world, endpoint, where, value, document, param_index):
    client, reference = world
    method, template, params = endpoint
    url = template.replace(REF, reference)
    url = url.replace("{v}", _path_value(value) if where == "path" else "1")
    name = params[param_index % len(params)] if params else "x"
    text = value if isinstance(value, str) else json.dumps(value)
    if method == "GET" or where == "query":
        response = (
            client.generic(method, url + "?" + _query(name, text))
            if method != "GET"
            else client.get(url, {name: text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")})
        )
    elif where == "form":
        response = client.post(url, {name: text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")})
    elif where == "raw":
        raw = document if isinstance(document, str) else json.dumps(document)
        response = client.post(url, raw.encode("utf-8", "surrogatepass"), content_type="application/json")
    else:
        response = client.post(url, json.dumps({name: value}), content_type="application/json")
    assert_documented_error(response, url)


def _query(name: str, text: str) -> str:
    from urllib.parse import urlencode

    return urlencode({name: text.encode("utf-8", "surrogatepass")})
