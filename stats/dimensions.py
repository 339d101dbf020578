"""What a statistic can be split by besides status, district and month: each layer's kind and category.

A construction permit's kind is its construction class (I-V); a tree permit's kind is felling or
transplanting and its category the reason; a report's kind is the department that answers it and its
category the report category; a forum thread's category is its section. Projects have neither. The
expressions are SQL over the item row, unqualified (as the registry's public rule is), and are
evaluated in two places that must agree: the statistics grid's triggers (stats migration 0001, which
holds a frozen copy of them) and the engine's item-by-item counts along a territory's edge.
tests/stats/test_grid_triggers.py reads the installed triggers' arguments back and fails when the
two drift: change an expression here only together with a migration that re-creates the triggers.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Dimensions:
    kind_sql: str = "''"
    category_sql: str = "''"
    kind_name: str = ""
    category_name: str = ""

    def has(self, name: str) -> bool:
        return bool(self.kind_name if name == "kind" else self.category_name)


DIMENSIONS = {
    "construction-permits": Dimensions(
        kind_sql="coalesce(construction_class::text, '')", kind_name=gettext_lazy("construction class")
    ),
    "tree-permits": Dimensions(
        kind_sql="kind",
        category_sql="reason",
        kind_name=gettext_lazy("felling or transplanting"),
        category_name=gettext_lazy("reason"),
    ),
    "projects": Dimensions(),
    "reports": Dimensions(
        kind_sql="department_id::text",
        category_sql="category_id::text",
        kind_name=gettext_lazy("department"),
        category_name=gettext_lazy("report category"),
    ),
    "forum": Dimensions(category_sql="section_id::text", category_name=gettext_lazy("forum section")),
}
# Layers whose kind or category is a row of another table: (app, model) with slug and name.
RELATED = {
    ("reports", "kind"): ("accounts", "Department"),
    ("reports", "category"): ("fixtracker", "Category"),
    ("forum", "category"): ("forum", "Section"),
}
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


def dimensions(slug: str) -> Dimensions:
    return DIMENSIONS.get(slug, Dimensions())


def dated_sql(layer) -> str:
    """SQL: is the item's status date known? Register items may say no (status_date_known)."""
    known = any(f.name == "status_date_known" for f in layer.model._meta.fields)
    return "status_date_known" if known else "true"


def value_labels(slug: str, name: str) -> dict[str, str]:
    """{stored value: label in the reader's language} of a layer's kind or category."""
    if slug == "construction-permits" and name == "kind":
        return {code: _("class %(roman)s") % {"roman": roman} for code, roman in ROMAN.items()} | {"": _("not given")}
    if slug == "tree-permits":
        model = apps.get_model("layers", "TreePermit")
        choices = model.Kind.choices if name == "kind" else model.Reason.choices
        return dict(choices) | {"": _("not given")}
    if (slug, name) in RELATED:
        return {str(obj.pk): obj.name for obj in apps.get_model(*RELATED[slug, name]).objects.all()}
    return {}


def value_codes(slug: str, name: str) -> dict[str, str]:
    """{what a person may type in a question: stored value}: codes (slugs) as well as stored values."""
    codes = {value: value for value in value_labels(slug, name)}
    if (slug, name) in RELATED:
        codes.update({obj.slug: str(obj.pk) for obj in apps.get_model(*RELATED[slug, name]).objects.all()})
    if slug == "construction-permits" and name == "kind":
        codes.update({roman: code for code, roman in ROMAN.items()})
    return codes
