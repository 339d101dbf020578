"""The forum's first sections, in Georgian and English (admins add, rename and reorder them later).

The same list seeds the data migration and registers each section as a subscription sub-topic
("forum:trees"), so an area subscription can ask for one section's threads or, with "forum", all.
"""

from django.utils.translation import gettext_lazy as _

FIRST_SECTIONS = [
    ("construction", "მშენებლობა და დაგეგმარება", "Construction and planning"),
    ("trees", "ხეები და მწვანე სივრცეები", "Trees and green spaces"),
    ("transport", "ტრანსპორტი და ქუჩები", "Transport and streets"),
    ("public-spaces", "საჯარო სივრცეები", "Public spaces"),
    ("services", "ქალაქის სერვისები", "City services"),
    ("ideas", "იდეები ქალაქისთვის", "Ideas for the city"),
    ("other", "სხვა", "Other"),
]

# Labels for the subscription form, through gettext so the page's language picks one.
SUBTOPIC_LABELS = {
    "construction": _("Forum: construction and planning"),
    "trees": _("Forum: trees and green spaces"),
    "transport": _("Forum: transport and streets"),
    "public-spaces": _("Forum: public spaces"),
    "services": _("Forum: city services"),
    "ideas": _("Forum: ideas for the city"),
    "other": _("Forum: other"),
}


def ensure_sections(section_model=None) -> None:
    """The first sections, unless there: for the data migration and for test databases that flush."""
    if section_model is None:
        from forum.models import Section as section_model
    for position, (slug, name_ka, name_en) in enumerate(FIRST_SECTIONS):
        section_model.objects.get_or_create(
            slug=slug, defaults={"name_ka": name_ka, "name_en": name_en, "position": position}
        )
