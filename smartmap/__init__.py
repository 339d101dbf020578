from .capfirst import install as _leave_georgian_uncapitalised

# Before settings and apps load (see smartmap/capfirst.py).
_leave_georgian_uncapitalised()

from .celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
