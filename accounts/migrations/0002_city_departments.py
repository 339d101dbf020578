from django.db import migrations

from accounts.departments import ensure_city_departments


def add_departments(apps, schema_editor):
    ensure_city_departments(apps.get_model("accounts", "Department"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_departments, migrations.RunPython.noop)]
