"""The GeoReport v2 resources. Each view reads, checks, calls one helper and returns a Document."""

from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from fixtracker.models import Open311Key, Report
from fixtracker.open311 import queries, services, submit
from fixtracker.open311.formats import Document, Open311Error, endpoint
from fixtracker.open311.serializers import annotated, service_request


@endpoint()
def discovery(request):
    return Document("discovery", services.discovery(request))


@endpoint()
def service_list(request):
    key = Open311Key.find(request.GET.get("api_key"))
    return Document("services", services.service_list(realtime=bool(key and key.trusted)))


@endpoint()
def service_definition(request, code):
    return Document("service_definition", services.definition(services.active_category(code)))


# Authenticated by the api_key in the request itself, never by a browser session: no CSRF to forge.
@csrf_exempt
@endpoint(methods=("GET", "POST"))
def requests(request):
    if request.method == "POST":
        return Document("service_requests", [submit.file_request(request, submit.client_key(request))], status=201)
    query = queries.read_query(request.GET)
    notes = _extensions(request)
    reports = annotated(queries.select(query), notes=notes)
    return Document("service_requests", [service_request(report, request, notes=notes) for report in reports])


@endpoint()
def request_detail(request, service_request_id):
    notes = _extensions(request)
    report = annotated(Report.objects.public().filter(reference=service_request_id), notes=notes).first()
    if report is None:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": service_request_id})
    return Document("service_requests", [service_request(report, request, notes=notes)])


@endpoint()
def token(request, token):
    report = submit.report_for_token(token)
    public_id = report.reference if report.is_public else None
    return Document("service_requests", [{"service_request_id": public_id, "token": token}])


@csrf_exempt
@endpoint(methods=None)
def not_found(request, path):
    raise Open311Error(404, _("There is no such Open311 resource."))


def _extensions(request) -> bool:
    value = request.GET.get("extensions", "").lower()
    if value not in ("", "true", "false"):
        raise Open311Error(400, _("extensions must be true or false."))
    return value == "true"
