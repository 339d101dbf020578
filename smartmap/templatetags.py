"""Template filters and tags every template has (settings.TEMPLATES "builtins").

`capfirst` replaces Django's filter of that name everywhere, the admin's templates included: it
leaves Georgian as it is (see smartmap.lib.i18n.capfirst). `alternate_urls` gives the page's
address in each language, for hreflang links and the language switch.
"""

from django import template
from django.conf import settings
from django.template.defaultfilters import stringfilter
from django.urls import translate_url

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
