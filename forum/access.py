"""Who may do what in the forum: one helper per question, so every view asks the same way."""

from accounts.models import Department


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and (user.is_moderator or user.is_superuser))


def departments_of(user) -> list[Department]:
    """The departments a signed-in member of City Hall may speak for."""
    if not user.is_authenticated:
        return []
    return list(Department.objects.filter(memberships__user=user).order_by("name_en"))


def is_city_staff(user) -> bool:
    return bool(user.is_authenticated and user.memberships.exists())


def can_manage_thread(user, thread) -> bool:
    """Close, reopen, pin and lock: moderators and City Hall staff."""
    return is_moderator(user) or is_city_staff(user)


def can_edit_post(user, post) -> bool:
    return bool(user.is_authenticated and post.author_id == user.pk and not post.is_deleted)


def can_mark_official(user, post) -> bool:
    """A department marks its own post: the author, still a member of the department they wrote for."""
    return bool(
        user.is_authenticated
        and post.department_id is not None
        and post.author_id == user.pk
        and user.memberships.filter(department_id=post.department_id).exists()
    )


def thread_visible_to(user, thread) -> bool:
    return thread.is_public or is_moderator(user)
