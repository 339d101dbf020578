"""The first categories City Hall committed to, with their departments and deadlines.

Hazards (a fallen tree, a bare cable) are answered in calendar hours, day and night; the rest in
working hours or days. Admins change these and add more in the admin.
"""

CH, WH, WD = "calendar_hours", "working_hours", "working_days"
LIGHTING = "street-lighting"

# slug, group, Georgian, English, icon, department, (respond, unit), (resolve, unit), questions
CATEGORIES = [
    (
        "lamp-out",
        LIGHTING,
        "ნათურა არ ანათებს",
        "Lamp out",
        "💡",
        "tbilservice",
        (1, WD),
        (3, WD),
        [{"key": "pole", "label_ka": "ბოძის ნომერი (თუ ჩანს)", "label_en": "Pole number (if visible)"}],
    ),
    ("lamp-on-by-day", LIGHTING, "ნათურა დღისით ანთია", "Lamp on by day", "🔆", "tbilservice", (1, WD), (5, WD), []),
    (
        "damaged-pole",
        LIGHTING,
        "დაზიანებული ბოძი ან შიშველი კაბელი",
        "Damaged pole or bare cable",
        "⚡",
        "tbilservice",
        (2, CH),
        (24, CH),
        [],
    ),
    (
        "fallen-tree",
        "trees",
        "წაქცეული ან საშიში ხე",
        "Dangerous or fallen tree",
        "🌳",
        "environment",
        (2, CH),
        (24, CH),
        [
            {
                "key": "blocking",
                "label_ka": "კეტავს გზას?",
                "label_en": "Is it blocking the road?",
                "choices": [["yes", "კი", "Yes"], ["no", "არა", "No"]],
            }
        ],
    ),
    ("pruning", "trees", "ხის გასხვლა", "Tree pruning", "✂️", "environment", (2, WD), (20, WD), []),
    (
        "diseased-tree",
        "trees",
        "დაავადებული ხე (ფიტოსანიტარული მოვლა)",
        "Diseased tree (phytosanitary care)",
        "🍂",
        "environment",
        (2, WD),
        (15, WD),
        [],
    ),
    ("broken-bench", "park-benches", "დაზიანებული სკამი", "Broken bench", "🪑", "improvement", (2, WD), (10, WD), []),
    ("missing-bench", "park-benches", "დაკარგული სკამი", "Missing bench", "❔", "improvement", (2, WD), (15, WD), []),
    (
        "new-bench",
        "park-benches",
        "ახალი სკამის მოთხოვნა",
        "Request a new bench",
        "➕",
        "improvement",
        (5, WD),
        (30, WD),
        [],
    ),
    ("litter", "cleaning", "ნაგავი", "Litter", "🗑️", "tbilservice", (8, WH), (2, WD), []),
    ("overflowing-bin", "cleaning", "გადავსებული ურნა", "Overflowing bin", "🚮", "tbilservice", (4, WH), (1, WD), []),
    (
        "illegal-dumping",
        "cleaning",
        "უკანონო ნაგავსაყრელი",
        "Illegal dumping",
        "⛔",
        "tbilservice",
        (1, WD),
        (5, WD),
        [],
    ),
    ("not-swept", "cleaning", "ქუჩა არ არის დაგვილი", "Street not swept", "🧹", "tbilservice", (1, WD), (2, WD), []),
]


def ensure_categories(category_model=None, department_model=None):
    """Create the standard categories that are missing; never changes existing ones."""
    if category_model is None:
        from accounts.models import Department as department_model
        from fixtracker.models import Category as category_model
    departments = {d.slug: d for d in department_model.objects.all()}
    for order, (slug, group, ka, en, icon, dept, respond, resolve, questions) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(
            slug=slug,
            defaults=dict(
                group=group,
                name_ka=ka,
                name_en=en,
                icon=icon,
                department=departments[dept],
                response_amount=respond[0],
                response_unit=respond[1],
                resolution_amount=resolve[0],
                resolution_unit=resolve[1],
                questions=questions,
                order=order,
            ),
        )
