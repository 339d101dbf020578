from django import template

register = template.Library()


@register.inclusion_tag("moderation/_flag.html", takes_context=True)
def flag_form(context, kind: str, target_id: int, author_id):
    """The "Flag" disclosure under a post, report or photo (plain form, no script)."""
    from moderation.models import Flag

    return {
        "kind": kind,
        "target_id": target_id,
        "author_id": author_id,
        "flag_reasons": Flag.Reason.choices,
        "user": context.get("user"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def hidden_reason(stored: str) -> str:
    """{{ post.hidden_reason|hidden_reason }}: the public reason in the reader's language."""
    from moderation.models import reason_text

    return reason_text(stored)
