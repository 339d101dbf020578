"""Hidden threads and posts kept the moderator's reason as words in the moderator's language; they
now keep its code (moderation.models.reason_text words it for each reader). Known words in either
language become their code; anything else stays as it was written."""

from django.db import migrations

WORDS = {
    "spam": "spam",
    "სპამი": "spam",
    "abuse": "abuse",
    "შეურაცხყოფა": "abuse",
    "personal data": "personal_data",
    "პერსონალური მონაცემები": "personal_data",
    "off topic": "off_topic",
    "თემას არ ეხება": "off_topic",
    "illegal": "illegal",
    "უკანონო": "illegal",
    "hidden until a moderator reviews it": "pending_review",
    "დამალულია, სანამ მოდერატორი არ განიხილავს": "pending_review",
}


def to_codes(apps, schema_editor):
    for name in ("Thread", "Post"):
        model = apps.get_model("forum", name)
        for words, code in WORDS.items():
            model.objects.filter(hidden_reason=words).update(hidden_reason=code)


def to_words(apps, schema_editor):
    english = {code: words for words, code in WORDS.items() if words.isascii()}
    for name in ("Thread", "Post"):
        model = apps.get_model("forum", name)
        for code, words in english.items():
            model.objects.filter(hidden_reason=code).update(hidden_reason=words)


class Migration(migrations.Migration):
    dependencies = [("forum", "0004_notification_settings")]
    operations = [migrations.RunPython(to_codes, to_words)]
