"""Photos of forum posts: up to four per post, through the same pipeline as the reports' photos.

Checked at upload by fixtracker.photos.check_upload (real JPEG, PNG or WebP by its bytes, size and
pixel caps, decompression bombs, truncation, polyglots), all of them before anything is stored, so
a refused fifth photo or one bad file leaves no post and no file. The original is kept in private
storage; the public copy is made by a worker with fixtracker.photos.make_public (a fresh JPEG from
the pixels alone: no EXIF, GPS or comments), queued after the commit; a photo nobody queued (the
broker was down) is found by sweep_post_photos on beat.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fixtracker.photos import PhotoError, check_upload, make_public
from forum.input import ForumInputError
from forum.models import PostPhoto

log = logging.getLogger(__name__)
MAX_PHOTOS = 4


def parse_photos(files) -> list:
    """The uploads under "photos", each checked: [(upload, content type)], or ForumInputError."""
    uploads = files.getlist("photos")  # an empty file input sends no file at all
    if len(uploads) > MAX_PHOTOS:
        raise ForumInputError("photos", _("A post may have at most %(max)d photos.") % {"max": MAX_PHOTOS})
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload).content_type))
        except PhotoError as exc:
            raise ForumInputError("photos", f"{upload.name}: {exc}") from None
    return checked


def attach(post, photos) -> None:
    """Store the checked photos' originals on ``post`` (inside the post's transaction)."""
    for upload, content_type in photos:
        upload.seek(0)
        PostPhoto.objects.create(post=post, original=upload, content_type=content_type)
    if photos:
        # After the commit: a worker must find the rows, and a rolled-back post queues nothing.
        transaction.on_commit(lambda: queue_processing(post.pk))


def queue_processing(post_id: int) -> None:
    try:
        process_post_photos.delay(post_id)
    except Exception:  # broker down: beat's sweep_post_photos processes them later
        log.warning("could not queue the photos of post %s; the sweep will", post_id)


@shared_task(soft_time_limit=120)
def process_post_photos(post_id: int):
    for photo_id in PostPhoto.objects.filter(post_id=post_id, processed_at__isnull=True).values_list("id", flat=True):
        process_photo(photo_id)


@shared_task(soft_time_limit=240)
def sweep_post_photos():
    for photo_id in PostPhoto.objects.filter(processed_at__isnull=True).values_list("id", flat=True)[:200]:
        process_photo(photo_id)


def process_photo(photo_id: int) -> bool:
    # Claim first: only one worker turns a given original into its public copy.
    if PostPhoto.objects.filter(id=photo_id, processed_at__isnull=True).update(processed_at=timezone.now()) != 1:
        return False
    photo = PostPhoto.objects.get(id=photo_id)
    try:
        content, width, height = make_public(photo.original)
    except Exception:
        log.exception("forum photo %s could not be re-encoded", photo_id)
        PostPhoto.objects.filter(id=photo_id).update(processed_at=None)
        raise
    photo.public.save("public.jpg", content, save=False)
    photo.width, photo.height = width, height
    photo.save(update_fields=["public", "width", "height"])
    return True
