"""Georgian is never capitalised, and every page names its other-language twin (hreflang)."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from smartmap.lib.i18n import capfirst

MTAVRULI = re.compile("[\u1c90-\u1cbf]")


def test_capfirst_leaves_georgian_alone_and_capitalises_english():
    assert capfirst("განცხადება წარდგენილია") == "განცხადება წარდგენილია"
    assert capfirst("application filed") == "Application filed"
    assert capfirst("") == ""


def test_the_capfirst_filter_every_template_uses_is_the_georgian_safe_one():
    with translation.override("ka"):
        rendered = Template("{{ word|capfirst }} {{ other|capfirst }}").render(
            Context({"word": "მოჭრა", "other": "felling"})
        )
    assert rendered == "მოჭრა Felling"
    assert not MTAVRULI.search(rendered)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ka", "en"])
def test_every_page_links_its_twin_in_the_other_language(client, lang):
    body = client.get(f"/{lang}/layers/construction-permits/?status=issued").content.decode()
    assert '<link rel="alternate" hreflang="ka" href="http://testserver/ka/layers/construction-permits/?status=issued">' in body
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/layers/construction-permits/?status=issued">' in body
    assert 'hreflang="x-default" href="http://testserver/ka/' in body


def test_djangos_own_capfirst_leaves_georgian_alone():
    """Form labels, the admin's names and DRF's labels are capitalised in Python (smartmap/capfirst.py)."""
    from django.utils.text import capfirst as django_capfirst

    from layers.models import Feed

    label = Feed._meta.get_field("name").formfield().label  # built once, lazily translated
    with translation.override("ka"):
        assert str(label) == translation.gettext("name") != "name"
        assert not MTAVRULI.search(str(django_capfirst(Feed._meta.verbose_name_plural)))
    with translation.override("en"):
        assert str(label) == "Name"
