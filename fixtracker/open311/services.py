"""What can be reported, in the spec's shapes: discovery, the service list, service definitions.

A service is an active Category; its code is the category's slug. Its extra questions become the
definition's attributes: a question with choices is a singlevaluelist, any other a string.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from fixtracker.models import Category
from fixtracker.open311.formats import Open311Error
from smartmap.lib import working_time

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's behaviour last changed; clients compare it to notice.
CHANGESET = "2025-06-01T00:00:00+04:00"
MAX_ANSWER = 300  # parse_report keeps this many characters of an answer


def discovery(request) -> dict:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "xml"})).rsplit("/", 1)[0]
    return {
        "changeset": CHANGESET,
        "contact": _("Smart Map Tbilisi, Tbilisi City Hall: %(site)s") % {"site": settings.SITE_URL},
        "key_service": _("API keys are issued by the Smart Map team on request; reading needs no key."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_list(*, realtime: bool) -> list[dict]:
    categories = Category.objects.filter(active=True).select_related("department")
    return [_service(category, realtime) for category in categories]


def _service(category: Category, realtime: bool) -> dict:
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": _("%(department)s answers within %(response)s and fixes it within %(resolution)s.")
        % {
            "department": category.department.name,
            "response": duration(category.response_amount, category.response_unit),
            "resolution": duration(category.resolution_amount, category.resolution_unit),
        },
        "metadata": bool(category.questions),
        "type": "realtime" if realtime else "batch",
        "keywords": ", ".join(dict.fromkeys([category.name_ka, category.name_en, category.slug])),
        "group": str(category.get_group_display()),
    }


def duration(amount: int, unit: str) -> str:
    if unit == working_time.CALENDAR_HOURS:
        return ngettext("%(n)d hour", "%(n)d hours", amount) % {"n": amount}
    if unit == working_time.WORKING_HOURS:
        return ngettext("%(n)d working hour", "%(n)d working hours", amount) % {"n": amount}
    return ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}


def active_category(code: str) -> Category:
    category = Category.objects.filter(slug=code, active=True).select_related("department").first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    return category


def definition(category: Category) -> dict:
    return {
        "service_code": category.slug,
        "attributes": [_attribute(question, order) for order, question in enumerate(category.questions, start=1)],
    }


def _attribute(question: dict, order: int) -> dict:
    english = get_language() == "en"
    choices = question.get("choices") or []
    attribute = {
        "variable": True,
        "code": question["key"],
        "datatype": "singlevaluelist" if choices else "string",
        "required": bool(question.get("required")),
        "datatype_description": (
            _("Choose one of the values.") if choices else _("Text, up to %(n)d characters.") % {"n": MAX_ANSWER}
        ),
        "order": order,
        "description": question.get("label_en" if english else "label_ka") or question.get("label_ka", ""),
    }
    if choices:
        attribute["values"] = [{"key": choice[0], "name": _choice_name(choice, english)} for choice in choices]
    return attribute


def _choice_name(choice, english: bool) -> str:
    """A choice is [key, Georgian, English]; an older one may lack the English."""
    names = list(choice[1:]) or [choice[0]]
    return names[-1] if english else names[0]
