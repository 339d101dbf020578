"""The data dictionary of every open dataset, which is also the allow-list of what it publishes.

An export writes exactly the fields listed here, each read by its own SQL expression over the
item row ``i`` (and the joined district ``d`` and the dataset's own joins), never "every column":
a column added to a model later (about an applicant, a reporter, an internal note) stays out of
every file until someone adds it here with its meaning in both languages. That is how the
promise "no personal data in any export" is kept: private applicants' names are never stored
(layers.importing), and of a report only the reporter's name they chose to show is written; their
email, address, internal notes and the photo originals have no field here.

A dataset is a layer of the registry with an entry in LAYER_FIELDS (a layer without one has no
dataset: the allow-list fails closed), plus the status history, the events that set a status, as
a table of its own. What is public is the registry's rule (Layer.public_sql, Event.objects.public()).

Types: integer, number, text, code (a stable code, not words), boolean, date (YYYY-MM-DD),
datetime (ISO 8601, UTC), json (an array or object; JSON text in CSV).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation

from layers.registry import all_layers


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    ka: str
    en: str
    # SQL over the item row `i` (for the status history: the Event field's ORM lookup); empty for
    # a field computed in Python.
    sql: str = ""
    compute: Callable | None = None  # (dict of the row's other values, context) -> value

    def meaning(self, language: str) -> str:
        return self.en if language == "en" else self.ka


@dataclass(frozen=True)
class Dataset:
    slug: str
    title_ka: str
    title_en: str
    description_ka: str
    description_en: str
    fields: tuple[Field, ...]
    layer: object = None  # the registry's Layer; None for the status history
    joins: str = ""
    spatial: bool = True
    prepare: Callable | None = None  # () -> context for the computed fields, once per export
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_ka

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_ka

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def columns(self) -> list[str]:
        """The columns of a file: the fields, then lon, lat and WKT for a spatial dataset's CSV."""
        return self.names + (list(GEOMETRY_COLUMNS) if self.spatial else [])


# The extra columns of a spatial dataset's CSV (GeoJSON and GeoPackage carry a real geometry).
GEOMETRY_COLUMNS = {
    "lon": Field("lon", "number", "წარმომადგენლობითი წერტილის გრძედი (WGS 84)", "longitude of the item's representative point (WGS 84)"),
    "lat": Field("lat", "number", "წარმომადგენლობითი წერტილის განედი (WGS 84)", "latitude of the item's representative point (WGS 84)"),
    "wkt": Field("wkt", "text", "ობიექტის გეომეტრია WKT ფორმატში (WGS 84, EPSG:4326)", "the item's geometry as WKT (WGS 84, EPSG:4326)"),
}  # fmt: skip


def _f(name, type_, ka, en, sql=None, compute=None) -> Field:
    return Field(name, type_, ka, en, sql if sql is not None else ("" if compute else f"i.{name}"), compute)


def _since(dated: bool) -> Field:
    # An undated status (a register that never said when) is published as empty, never as the import's time.
    sql = "CASE WHEN i.status_date_known THEN i.status_since END" if dated else "i.status_since"
    return _f("status_since", "datetime", "როდის დაიწყო ახლანდელი სტატუსი (ცარიელი, თუ წყარომ არ თქვა)",
              "when the current status began (empty when the source did not say)", sql)  # fmt: skip


def _common(dated: bool) -> tuple[Field, ...]:
    fields = (
        _f("id", "integer", "ჩანაწერის ნომერი რუკაზე", "the item's number on the map"),
        _f("reference", "text", "საცნობარო ნომერი", "reference number"),
        _f("title", "text", "სათაური", "title"),
        _f("description", "text", "აღწერა", "description"),
        _f("address", "text", "მისამართი", "address"),
        _f("status", "code", "ახლანდელი სტატუსის კოდი", "code of the current status"),
        _since(dated),
        _f("district", "code", "რაიონის კოდი (ცარიელი, თუ რაიონის გარეთაა)", "district code (empty when outside every district)", "d.slug"),
    )  # fmt: skip
    if dated:
        fields += (
            _f("status_date_known", "boolean", "თქვა თუ არა წყარომ, როდის დაიწყო სტატუსი", "whether the source said when the status began"),
            _f("source_status", "text", "სტატუსი წყაროს სიტყვებით", "the status in the source's own words"),
            _f("documents", "json", "დოკუმენტების ბმულები [{url, title}]", "links to documents [{url, title}]"),
            _f("source", "code", "საიდან მოვიდა ჩანაწერი (რეესტრი)", "where the item came from (the register)"),
            _f("external_id", "text", "ჩანაწერის ნომერი წყაროში", "the item's ID at the source"),
        )  # fmt: skip
    return fields


def _tail() -> tuple[Field, ...]:
    return (
        _f("is_demo", "boolean", "სადემონსტრაციო ჩანაწერი (არა ნამდვილი)", "demonstration item (not real)"),
        _f("updated_at", "datetime", "ბოლოს როდის შეიცვალა ჩანაწერი", "when the item last changed"),
    )  # fmt: skip


PERMIT_FIELDS = (
    _f("cadastral_codes", "json", "საკადასტრო კოდები", "cadastral codes", "array_to_json(i.cadastral_codes)"),
    _f("construction_class", "integer", "მშენებლობის კლასი (1-5)", "construction class (1-5)"),
    _f("purpose", "text", "დანიშნულება", "purpose"),
    _f("floors", "integer", "სართულების რაოდენობა", "number of floors"),
    _f("height_m", "number", "სიმაღლე, მ", "height, m"),
    _f("k1", "number", "კ-1 კოეფიციენტი", "K-1 coefficient"),
    _f("k2", "number", "კ-2 კოეფიციენტი", "K-2 coefficient"),
    _f("k3", "number", "კ-3 კოეფიციენტი", "K-3 coefficient"),
    _f("applicant_org", "text", "განმცხადებელი ორგანიზაცია (კერძო პირის სახელი არასოდეს)",
       "applicant organisation (never a private person's name)"),
    _f("consultation_start", "date", "საჯარო განხილვის დაწყება", "public consultation opens"),
    _f("consultation_end", "date", "საჯარო განხილვის დასრულება", "public consultation closes"),
)  # fmt: skip

TREE_FIELDS = (
    _f("kind", "code", "ჭრა (felling) თუ გადარგვა (transplanting)", "felling or transplanting"),
    _f("reason", "code", "მიზეზი: construction, sanitary, hazard, infrastructure", "reason: construction, sanitary, hazard, infrastructure"),
    _f("tree_count", "integer", "ხეების რაოდენობა", "number of trees"),
    _f("trees", "json", "სახეობები და ღეროს დიამეტრები [{species, diameter_cm}]", "species and trunk diameters [{species, diameter_cm}]"),
    _f("compensation_trees", "integer", "დასარგავი ხეების რაოდენობა", "trees to plant in compensation"),
    _f("compensation_fee_gel", "number", "საკომპენსაციო საფასური, ლარი", "compensation fee, GEL", "i.compensation_fee_gel::float8"),
    _f("compensation_place", "text", "სად უნდა დაირგოს", "where to plant"),
    _f("compensation_due", "date", "როდემდე უნდა დაირგოს", "plant by"),
    _f("compensation_planted", "boolean", "კომპენსაცია დარგულია", "compensation planted"),
)  # fmt: skip

PROJECT_FIELDS = (
    _f("slug", "code", "პროექტის გვერდის მისამართის ნაწილი", "the project page's address part"),
    _f("agency", "text", "პასუხისმგებელი უწყება", "responsible agency"),
    _f("contractor", "text", "კონტრაქტორი", "contractor"),
    _f("budget_gel", "number", "ბიუჯეტი, ლარი", "budget, GEL", "i.budget_gel::float8"),
    _f("funding_source", "text", "დაფინანსების წყარო", "funding source"),
    _f("planned_start", "date", "დაგეგმილი დაწყება", "planned start"),
    _f("planned_end", "date", "დაგეგმილი დასრულება", "planned end"),
    _f("actual_start", "date", "ფაქტობრივი დაწყება", "actual start"),
    _f("actual_end", "date", "ფაქტობრივი დასრულება", "actual end"),
    _f("progress", "integer", "შესრულება, %", "progress, %"),
)  # fmt: skip

FORUM_FIELDS = (
    _f("section", "code", "ფორუმის განყოფილების კოდი", "code of the forum section", "s.slug"),
    _f("place_kind", "code", "ადგილი: point, area ან district", "place: point, area or district"),
    _f("posts_count", "integer", "პოსტების რაოდენობა", "number of posts"),
    _f("support_count", "integer", "მხარდაჭერების რაოდენობა", "number of supporters"),
    _f("answered_at", "datetime", "როდის უპასუხა მერიამ", "when City Hall answered"),
    _f("last_post_at", "datetime", "ბოლო აქტივობა", "last activity"),
    _f("created_at", "datetime", "როდის შეიქმნა", "when it was started"),
)  # fmt: skip


def _duration(start: str, stop: str, unit: str):
    """Time from `start` to `stop` in `unit` (calendar hours, working hours or days), as the record measures it."""

    def compute(row: dict, calendar):
        from smartmap.lib import working_time

        begin, end = row[start], row[stop] if isinstance(stop, str) else stop(row)
        if begin is None or end is None:
            return None
        return working_time.remaining(row[unit], begin, end, calendar)

    return compute


def _finished(row: dict):
    return row["resolved_at"] or row["closed_at"]


def _report_calendar():
    from fixtracker.actions.timeline import calendar

    return calendar()


REPORT_FIELDS = (
    _f("category", "code", "კატეგორიის კოდი", "category code", "c.slug"),
    _f("department", "code", "პასუხისმგებელი სამსახურის კოდი", "code of the responsible service", "dep.slug"),
    _f("created_at", "datetime", "როდის გაიგზავნა შეტყობინება", "when the report was sent"),
    _f("confirmed_at", "datetime", "როდის დადასტურდა და ჩაირთო საათი (მიღებულია)", "when it was confirmed and its clock started (received)"),
    _f("response_due_at", "datetime", "რეაგირების ვადა", "deadline to acknowledge"),
    _f("response_unit", "code", "რეაგირების ვადის ერთეული: calendar_hours, working_hours, working_days", "unit of the response deadline: calendar_hours, working_hours, working_days", "c.response_unit"),
    _f("acknowledged_at", "datetime", "როდის მიიღო სამსახურმა", "when the service acknowledged it"),
    _f("resolution_due_at", "datetime", "გადაჭრის ვადა", "deadline to resolve"),
    _f("resolution_unit", "code", "გადაჭრის ვადის ერთეული", "unit of the resolution deadline", "c.resolution_unit"),
    _f("resolved_at", "datetime", "როდის გადაიჭრა", "when it was resolved"),
    _f("closed_at", "datetime", "როდის დაიხურა", "when it was closed"),
    _f("close_reason", "code", "დახურვის მიზეზი: fixed, not_ours, duplicate, cannot_fix", "reason for closing: fixed, not_ours, duplicate, cannot_fix"),
    _f("referred_to", "text", "ვის გადაეგზავნა (თუ მერიის საქმე არაა)", "whom it was referred to (when not City Hall's)"),
    _f("scheduled_for", "date", "დაგეგმილი დღე", "day the work is scheduled for"),
    _f("paused", "boolean", "საათი შეჩერებულია: სამსახური ელოდება ინფორმაციას", "the clock is paused: the service waits for information", "i.paused_at IS NOT NULL"),
    _f("reopened", "boolean", "ხელახლა გაიხსნა გადაჭრის გასაჩივრების შემდეგ", "reopened after a disputed resolution",
       "EXISTS (SELECT 1 FROM layers_event e WHERE e.layer = 'reports' AND e.item_id = i.id "
       "AND e.old_status = 'resolved' AND e.new_status = 'in_progress')"),
    _f("time_to_acknowledge", "number", "დადასტურებიდან მიღებამდე, რეაგირების ვადის ერთეულში", "from confirmation to acknowledgement, in the response deadline's unit",
       compute=_duration("confirmed_at", "acknowledged_at", "response_unit")),
    _f("time_to_resolve", "number", "დადასტურებიდან გადაჭრამდე ან დახურვამდე, გადაჭრის ვადის ერთეულში", "from confirmation to resolution or closing, in the resolution deadline's unit",
       compute=_duration("confirmed_at", _finished, "resolution_unit")),
    _f("supporters_count", "integer", "რამდენ მცხოვრებს აქვს იგივე პრობლემა", "how many residents have the same problem"),
    _f("reporter", "text", "ავტორის სახელი, მხოლოდ თუ თვითონ აირჩია მისი ჩვენება", "the reporter's name, only when they chose to show it",
       "CASE WHEN i.show_name THEN i.reporter_name ELSE '' END"),
    _f("source", "code", "საიდან მოვიდა: ვებ-გვერდი, Open311 ან ძველი სისტემა", "where it came from: the site, Open311 or an old system"),
)  # fmt: skip

LAYER_FIELDS = {
    "construction-permits": (PERMIT_FIELDS, ""),
    "tree-permits": (TREE_FIELDS, ""),
    "projects": (PROJECT_FIELDS, ""),
    "forum": (FORUM_FIELDS, "JOIN forum_section s ON s.id = i.section_id"),
    "reports": (
        REPORT_FIELDS,
        "JOIN fixtracker_category c ON c.id = i.category_id JOIN accounts_department dep ON dep.id = i.department_id",
    ),
}

DESCRIPTIONS = {
    "construction-permits": ("თბილისის სამშენებლო ნებართვები, განაცხადიდან ექსპლუატაციაში მიღებამდე.",
                             "Tbilisi's construction permits, from the application to commissioning."),
    "tree-permits": ("ხეების ჭრისა და გადარგვის ნებართვები, სახეობებით, დიამეტრებით და კომპენსაციით.",
                     "Tree felling and transplanting permits, with species, diameters and compensation."),
    "projects": ("მერიის ინფრასტრუქტურული პროექტები: ბიუჯეტი, ვადები, შესრულება.",
                 "City Hall's infrastructure projects: budget, dates, progress."),
    "forum": ("თბილისის ფორუმის განხილვები, რომლებსაც რუკაზე ადგილი აქვთ.",
              "Tbilisi Forum discussions that have a place on the map."),
    "reports": ("„გამოასწორე თბილისი“: მცხოვრებთა შეტყობინებები, ვადები და მერიის პასუხი; საკმარისია მერიის რეაგირების მაჩვენებლების გადასათვლელად.",
                "Fix-Tbilisi: residents' reports, deadlines and City Hall's response; enough to recompute the response record."),
}  # fmt: skip

HISTORY = Dataset(
    slug="status-history",
    title_ka="სტატუსების ისტორია",
    title_en="Status history",
    description_ka="ყველა საჯარო ჩანაწერის ყოველი სტატუსი და როდის დადგა, ყველა ფენიდან.",
    description_en="Every status of every public item and when it was set, for every layer.",
    fields=(
        _f("layer", "code", "ფენის კოდი (ნაკრები)", "layer code (the dataset)", "layer"),
        _f("item_id", "integer", "ჩანაწერის ნომერი (ნაკრების id)", "the item's number (the dataset's id)", "item_id"),
        _f("reference", "text", "ჩანაწერის საცნობარო ნომერი", "the item's reference number", "item_ref"),
        _f("kind", "code", "ცვლილება: created, status_changed …", "change: created, status_changed …", "kind"),
        _f("old_status", "code", "წინა სტატუსი", "previous status", "old_status"),
        _f("new_status", "code", "ახალი სტატუსი", "new status", "new_status"),
        _f(
            "occurred_at",
            "datetime",
            "როდის მოხდა (ცარიელი, თუ უცნობია)",
            "when it happened (empty when unknown)",
            "occurred_at",
        ),
        _f(
            "date_basis",
            "code",
            "თარიღის საფუძველი: source, seen ან unknown",
            "what the date rests on: source, seen or unknown",
            "date_basis",
        ),
        _f("recorded_at", "datetime", "როდის ჩაიწერა აქ", "when it was recorded here", "recorded_at"),
        _f("district", "code", "რაიონის კოდი", "district code", "district__slug"),
    ),  # fmt: skip
    spatial=False,
    keywords=("history", "status"),
)


def _layer_dataset(layer) -> Dataset | None:
    if layer.slug not in LAYER_FIELDS:
        return None
    own, joins = LAYER_FIELDS[layer.slug]
    dated = any(f.name == "status_date_known" for f in layer.model._meta.fields)
    with translation.override("ka"):
        title_ka = str(layer.name)
    with translation.override("en"):
        title_en = str(layer.name)
    ka, en = DESCRIPTIONS[layer.slug]
    return Dataset(
        slug=layer.slug,
        title_ka=title_ka,
        title_en=title_en,
        description_ka=ka,
        description_en=en,
        fields=(*_common(dated), *own, *_tail()),
        layer=layer,
        joins=joins,
        prepare=_report_calendar if layer.slug == "reports" else None,
        keywords=(layer.topic,),
    )


def datasets() -> dict[str, Dataset]:
    """Every open dataset by slug: the registry's layers that have a dictionary, then the status history."""
    found = {}
    for layer in all_layers():
        dataset = _layer_dataset(layer)
        if dataset is not None:
            found[dataset.slug] = dataset
    found[HISTORY.slug] = HISTORY
    return found


def get_dataset(slug: str) -> Dataset | None:
    return datasets().get(slug)


def dictionary_json(dataset: Dataset) -> list[dict]:
    fields = list(dataset.fields)
    if dataset.spatial:
        fields += list(GEOMETRY_COLUMNS.values())
    return [{"field": f.name, "type": f.type, "meaning": {"ka": f.ka, "en": f.en}} for f in fields]
