"""The forum's Celery tasks (found by autodiscovery here): the public copies of post photos.

Defined in forum.photos, beside the work they do, so the actions that store photos queue them
without importing this module.
"""

from forum.photos import process_post_photos, sweep_post_photos

__all__ = ["process_post_photos", "sweep_post_photos"]
