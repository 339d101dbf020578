"""What the OpenAPI schema promises beyond what drf-spectacular infers, in one place.

Every error the API gives has one shape (smartmap.api): ERROR below. The hook
`document_errors` adds the errors every operation can answer — 400 for a bad parameter, 404 for
an unknown path, 413 for a body over the limit, 401/403 where a session is needed — so the
schema lists every status a client can meet (schemathesis checks this in
tests/smartmap/test_schema_conformance.py). Operations that count requests per address add 429
themselves. Shapes that spectacular cannot see (views answering a list, or GeoJSON as
application/geo+json) are written here as plain JSON Schema for the views to name.
"""

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "One sentence for a person, in the request's language."},
        "code": {"type": "string", "description": "A machine code: invalid, not_found, throttled …"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Every problem, by field (validation errors only).",
        },
    },
    "required": ["detail", "code"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
DESCRIPTIONS = {
    "400": "The request is invalid; `detail` says why.",
    "401": "Sign in first.",
    "403": "Not allowed (blocked, or the CSRF check of a signed-in session failed).",
    "404": "Not found.",
    "413": "The request body is over the size limit.",
    "429": "Too many requests from this address or account; try again later.",
}

OBJECT = {"type": "object", "additionalProperties": {}}
LIST_OF_OBJECTS = {"type": "array", "items": OBJECT}
GEOJSON = "application/geo+json"
FEATURE = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "integer"},
        "geometry": {"type": "object", "nullable": True, "additionalProperties": {}},
        "properties": OBJECT,
    },
    "required": ["type", "geometry", "properties"],
}
FEATURE_COLLECTION = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": FEATURE},
        "links": OBJECT,
    },
    "required": ["type", "features"],
}


def error_responses(*statuses: int) -> dict:
    """For @extend_schema(responses=…): the error shape under the given statuses."""
    from drf_spectacular.utils import OpenApiResponse

    return {status: OpenApiResponse(ERROR_REF, description=DESCRIPTIONS[str(status)]) for status in statuses}


def document_errors(result, generator, request, public):
    """Spectacular post-processing hook: the Error component and the errors every operation has."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = ["400", "404"]
            if method in ("post", "put", "patch"):
                statuses.append("413")
            if {} not in operation.get("security", [{}]):
                statuses += ["401", "403"]
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(status, _error(status))
            for status, response in responses.items():
                if status in DESCRIPTIONS and "content" not in response:
                    response.update(_error(status))
    return result


def _error(status: str) -> dict:
    return {"description": DESCRIPTIONS[status], "content": {"application/json": {"schema": ERROR_REF}}}
