"""Django's own capfirst, made to leave Georgian alone.

Django capitalises in Python, not only in templates: form labels from a model field's verbose name,
the admin's model names, column headers and filters, "… with this … already exists", DRF's field
labels and django-filter's. Each module imports `django.utils.text.capfirst` by name, and on a
Georgian verbose name it writes Mtavruli ("Მომხმარებლები"), which Georgian text never uses.

`install()` puts smartmap.lib.i18n.capfirst (lazy where its argument is) in django.utils.text and
django.template.defaultfilters, so every module imported afterwards takes it, and into each already
loaded module that holds one of Django's originals. smartmap/__init__.py calls it before settings
and apps load: a lazy label built earlier would keep the original inside it. In templates the
filter of that name is smartmap.templatetags'.
"""

import sys

from django.template import defaultfilters
from django.utils import text
from django.utils.functional import keep_lazy_text

from smartmap.lib import i18n

# The function and the template filter (the admin's read-only labels call the filter in Python).
_DJANGO_CAPFIRSTS = (text.capfirst, defaultfilters.capfirst)


@keep_lazy_text
def capfirst(value):
    return i18n.capfirst(value) if value else value


def install():
    for module in list(sys.modules.values()):
        if any(getattr(module, "capfirst", None) is original for original in _DJANGO_CAPFIRSTS):
            module.capfirst = capfirst
