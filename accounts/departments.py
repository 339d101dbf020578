"""The City Hall services the portal routes work to; admins add more in the admin."""

CITY_DEPARTMENTS = [
    ("tbilservice", "შპს „თბილსერვის ჯგუფი“", "Tbilservice Group"),
    ("environment", "გარემოს დაცვის საქალაქო სამსახური", "Environmental Protection Service"),
    ("improvement", "კეთილმოწყობის საქალაქო სამსახური", "Municipal Improvement Service"),
    ("urban-development", "ურბანული განვითარების საქალაქო სამსახური", "Urban Development Service"),
    ("architecture", "არქიტექტურის სამსახური", "Architecture Service"),
    ("transport", "ტრანსპორტისა და ურბანული განვითარების სააგენტო", "Transport and Urban Development Agency"),
]


def ensure_city_departments(department_model=None):
    """Create the standard departments that are missing; never changes existing ones."""
    if department_model is None:
        from accounts.models import Department as department_model
    for slug, name_ka, name_en in CITY_DEPARTMENTS:
        department_model.objects.get_or_create(slug=slug, defaults={"name_ka": name_ka, "name_en": name_en})
