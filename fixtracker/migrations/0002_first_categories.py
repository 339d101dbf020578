from django.db import migrations

from fixtracker.standard_categories import ensure_categories


def add_categories(apps, schema_editor):
    ensure_categories(apps.get_model("fixtracker", "Category"), apps.get_model("accounts", "Department"))


class Migration(migrations.Migration):
    dependencies = [("fixtracker", "0001_reports_categories_photos_open311"), ("accounts", "0002_city_departments")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
