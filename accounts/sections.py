"""The profile pages are assembled from sections that each app contributes.

"My Smart Map" (the private profile) and the public profile know no app's internals: Fix-Tbilisi,
subscriptions and the forum each register a ProfileSection from their AppConfig.ready(), with a
template and a function that returns the section's context for one person. The page asks every
registered section, in order, and includes their templates. A new app joins the profile by
registering, without an edit here.

The same registration says what the app keeps about a person: export(user) returns the JSON-ready
data for "download all my data", files(user) the (name in the ZIP, open file) pairs to add to it,
and erase(user) removes or anonymises the app's personal data when the account is deleted (inside
the deletion's transaction, before the user row goes).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSection:
    slug: str
    order: int
    # "My Smart Map": context(request) -> dict for template; the signed-in person is request.user.
    template: str = ""
    context: Callable | None = None
    # The public profile: public_context(request, person) -> dict for public_template.
    public_template: str = ""
    public_context: Callable | None = None
    export: Callable | None = None
    files: Callable | None = None
    erase: Callable | None = None


@dataclass
class RenderedSection:
    slug: str
    template: str
    context: dict


_SECTIONS: dict[str, ProfileSection] = {}


def register(section: ProfileSection) -> ProfileSection:
    _SECTIONS[section.slug] = section
    return section


def _ordered() -> list[ProfileSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.slug))


def private_sections(request) -> list[RenderedSection]:
    return [
        RenderedSection(s.slug, s.template, s.context(request))
        for s in _ordered()
        if s.template and s.context is not None
    ]


def public_sections(request, person) -> list[RenderedSection]:
    return [
        RenderedSection(s.slug, s.public_template, s.public_context(request, person))
        for s in _ordered()
        if s.public_template and s.public_context is not None
    ]


def all_sections() -> list[ProfileSection]:
    return _ordered()
