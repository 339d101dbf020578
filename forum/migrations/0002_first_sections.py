"""The seven first sections of the forum, in Georgian and English (forum.sections.FIRST_SECTIONS)."""

from django.db import migrations


def add_sections(apps, schema_editor):
    from forum.sections import FIRST_SECTIONS

    Section = apps.get_model("forum", "Section")
    for position, (slug, name_ka, name_en) in enumerate(FIRST_SECTIONS):
        Section.objects.get_or_create(
            slug=slug, defaults={"name_ka": name_ka, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_sections_threads_posts")]

    operations = [migrations.RunPython(add_sections, migrations.RunPython.noop)]
