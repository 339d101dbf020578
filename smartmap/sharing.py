"""What a shared page tells social networks, and the plain links that share it.

Every public page carries Open Graph and Twitter card tags (title, description, image, canonical
address) and a row of share links: Facebook, X, Telegram, WhatsApp, email and copy-link. They are
plain links to each network's documented share address — no script of theirs, no counter, no
tracking parameter — opened with ``rel="noopener noreferrer"`` so the network does not even learn
which page of ours linked to it beyond the address being shared.

A page builds one ``Share`` with ``share_for()`` and passes it as ``share``; pages that build none
get the portal's own (``default_share``, a context processor). One include, ``templates/_share.html``,
renders both the head tags (``part="meta"``, done by base.html) and the links. Pages with a place
get a picture of it drawn by the server (places.share_image); the others the portal's picture.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

PORTAL_IMAGE = "img/share.png"  # 1200×630, drawn by smartmap.lib.placeimage from the real outlines


@dataclass
class Share:
    title: str
    description: str
    url: str  # absolute
    image: str  # absolute
    image_alt: str
    kind: str = "website"  # og:type: "article" for a page about one thing

    def links(self) -> list[dict]:
        """The share links, every value percent-encoded (an address inside an address)."""
        url, title = quote(self.url, safe=""), quote(self.title, safe="")
        both = quote(f"{self.title} {self.url}", safe="")
        body = quote(f"{self.description}\n\n{self.url}" if self.description else self.url, safe="")
        return [
            {"name": "Facebook", "href": f"https://www.facebook.com/sharer/sharer.php?u={url}"},
            {"name": "X", "href": f"https://x.com/intent/tweet?url={url}&text={title}"},
            {"name": "Telegram", "href": f"https://t.me/share/url?url={url}&text={title}"},
            {"name": "WhatsApp", "href": f"https://wa.me/?text={both}"},
            {"name": _("Email"), "href": f"mailto:?subject={title}&body={body}", "email": True},
        ]


def absolute(request, path: str) -> str:
    """``path`` on this site, absolute; SITE_URL when the request's own host is not one we serve."""
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return settings.SITE_URL + path


def share_for(request, title, description="", *, path=None, geom=None, district=None, kind="article") -> Share:
    """The page's share: its absolute address, and a picture of ``geom`` (on ``district``) if it has one."""
    from places import share_image  # places imports nothing of this module; keep the edge one-way

    title = str(title)
    description = str(description) or _("On Smart Map Tbilisi, the civic map of the city.")
    url = absolute(request, path or request.path)
    if geom is None:
        return Share(title, description, url, absolute(request, static(PORTAL_IMAGE)), portal_alt(), kind)
    district = district or share_image.district_of(geom)
    picture = share_image.ensure(geom, district)
    alt = (
        _("Map: the place in %(district)s district, Tbilisi") % {"district": district.name}
        if district is not None
        else _("Map: the place in Tbilisi")
    )
    return Share(title, description, url, absolute(request, picture), alt, kind)


def portal_alt() -> str:
    return _("Map of Tbilisi and its ten districts")


def portal_share(request) -> Share:
    return Share(
        _("Smart Map Tbilisi"),
        _("The interactive civic map of Tbilisi: permits, projects and problems reported by residents."),
        absolute(request, request.path),
        absolute(request, static(PORTAL_IMAGE)),
        portal_alt(),
    )


def default_share(request) -> dict:
    """Context processor: the portal's share for pages that set none (lazy: most never read it)."""
    return {"share": SimpleLazyObject(lambda: portal_share(request))}
