"""The API's body reader: every JSON body goes through smartmap.lib.jsonbody.read_json.

Set as DRF's only JSON parser (settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), so no endpoint
can forget the depth limit, the non-object refusal, the number range or the text rule. The body is
read up to DATA_UPLOAD_MAX_MEMORY_SIZE and one byte more: DRF streams JSON past Django's own size
check, so the limit is applied here, answered 413 in the API's error shape. Form and multipart
bodies are checked before any view by smartmap.middleware.HostileInput.
"""

from django.conf import settings
from rest_framework import exceptions, parsers, status

from smartmap.errors import body_too_large_message


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        super().__init__(body_too_large_message())


class JSONObjectParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        from smartmap.lib.jsonbody import JSONBodyError, read_json

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge
        try:
            return read_json(raw)
        except JSONBodyError as exc:
            raise exceptions.ParseError(str(exc), code="invalid") from None
