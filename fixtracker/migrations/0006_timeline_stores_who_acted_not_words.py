"""Timeline entries store who acted as a role and a department, not as words in the actor's language.

Existing rows held a label in whatever language the actor used ("The reporter" on a Georgian
page) and transfers held department names. Known labels in either language become their role
(a department's Georgian or English name: the department role and that department); any other
text is kept, as written, in legacy_label. Transfers' "from"/"to" names become department ids
where a department has that name. Reversing writes the Georgian label back.
"""

import django.db.models.deletion
from django.db import migrations, models

# The labels the code wrote, in English and in Georgian (its catalogue at the time of writing).
KNOWN = {
    "moderator": ("Moderator", "მოდერატორი"),
    "reporter": ("The reporter", "განმცხადებელი"),
    "resident": ("A resident", "მაცხოვრებელი"),
    "clock": ("the deadline clock", "ვადის ათვლა"),
}


def _departments(Department) -> dict[str, int]:
    by_name = {}
    for pk, name_ka, name_en in Department.objects.values_list("pk", "name_ka", "name_en"):
        by_name.setdefault(name_ka.strip(), pk)
        by_name.setdefault(name_en.strip(), pk)
    return by_name


def to_roles(apps, schema_editor):
    ReportUpdate = apps.get_model("fixtracker", "ReportUpdate")
    departments = _departments(apps.get_model("accounts", "Department"))
    roles = {text: role for role, texts in KNOWN.items() for text in texts}
    for update in ReportUpdate.objects.filter(~models.Q(actor_label="") | models.Q(kind="transfer")).iterator():
        label = update.actor_label.strip()
        if label in roles:
            update.actor_role = roles[label]
        elif label in departments:
            update.actor_role, update.actor_department_id = "department", departments[label]
        else:
            update.legacy_label = update.actor_label
        if update.kind == "transfer":
            for end in ("from", "to"):
                name = update.data.get(end)
                if isinstance(name, str) and name.strip() in departments:
                    update.data[end] = departments[name.strip()]
        update.save(update_fields=["actor_role", "actor_department", "legacy_label", "data"])


def to_labels(apps, schema_editor):
    ReportUpdate = apps.get_model("fixtracker", "ReportUpdate")
    Department = apps.get_model("accounts", "Department")
    names = dict(Department.objects.values_list("pk", "name_ka"))
    for update in ReportUpdate.objects.iterator():
        if update.actor_role == "department":
            update.actor_label = names.get(update.actor_department_id, "")
        elif update.actor_role:
            update.actor_label = KNOWN[update.actor_role][1]
        else:
            update.actor_label = update.legacy_label
        if update.kind == "transfer":
            for end in ("from", "to"):
                if isinstance(update.data.get(end), int):
                    update.data[end] = names.get(update.data[end], "")
        update.save(update_fields=["actor_label", "data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("fixtracker", "0005_report_update_district_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportupdate",
            name="actor_role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("department", "the department"),
                    ("moderator", "Moderator"),
                    ("reporter", "The reporter"),
                    ("resident", "A resident"),
                    ("clock", "the deadline clock"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="reportupdate",
            name="actor_department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.department",
            ),
        ),
        migrations.AddField(
            model_name="reportupdate",
            name="legacy_label",
            field=models.CharField(
                blank=True,
                help_text="who acted, as written by an old entry that matched no known label",
                max_length=200,
            ),
        ),
        migrations.RunPython(to_roles, to_labels),
        migrations.RemoveField(model_name="reportupdate", name="actor_label"),
    ]
