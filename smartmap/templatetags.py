"""Template filters and tags every template has (settings.TEMPLATES "builtins").

`capfirst` replaces Django's filter of that name everywhere, the admin's templates included: it
leaves Georgian as it is (see smartmap.lib.i18n.capfirst). `alternate_urls` gives the page's
address in each language, for hreflang links; `path_in` the path the language switch goes to.
"""

from django import template
from django.conf import settings
from django.template.defaultfilters import stringfilter
from django.urls import translate_url
from django.utils.translation import get_language

from smartmap.lib import i18n

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def capfirst(value):
    return i18n.capfirst(value)


@register.simple_tag(takes_context=True)
def alternate_urls(context):
    """[(language code, absolute URL of this page in it)] for every language of the site."""
    request = context.get("request")
    if request is None:
        return []
    here = request.build_absolute_uri()
    return [(code, translate_url(here, code)) for code, _ in settings.LANGUAGES]


@register.simple_tag(takes_context=True)
def path_in(context, code):
    """This page's path and query in language `code`, also where the address is no page (a 404).

    Django's set_language translates `next` only when it resolves; on a 404 the visitor who chose
    English would land on the same Georgian 404 again. Every path has the same shape in each
    language, so the other language's prefix in place of this one's is the twin.
    """
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    path = request.get_full_path()
    translated = translate_url(path, code)
    current = f"/{get_language()}/"
    if translated == path and path.startswith(current):
        return f"/{code}/" + path[len(current) :]
    return translated
