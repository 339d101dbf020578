"""Template pieces other pages use: a thread's City Hall badge, and an item's discussions."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def thread_badge(thread):
    """ "Answered by City Hall", "Closed", or how long the thread has waited for an answer."""
    if thread.answered_at:
        return format_html('<span class="tag answered">{}</span>', _("answered by City Hall"))
    if thread.is_closed:
        return format_html('<span class="tag closed">{}</span>', _("closed"))
    days = (timezone.now() - thread.created_at).days
    if days < 1:
        label = _("waiting for City Hall since today")
    else:
        label = ngettext("waiting for City Hall for %(n)d day", "waiting for City Hall for %(n)d days", days) % {
            "n": days
        }
    return format_html('<span class="tag waiting">{}</span>', label)


@register.inclusion_tag("forum/_discussions.html", takes_context=True)
def item_discussions(context, layer: str, item_id: int):
    """The "Discussions" box of an item, project or report page, with "Discuss this"."""
    from forum.lists import for_item

    threads, count = for_item(layer, item_id)
    return {"threads": threads, "count": count, "token": f"{layer}:{item_id}", "request": context.get("request")}
