"""Up to four photos per post, through the reports' photo pipeline: metadata removed, originals private."""

from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image

from forum.models import Post, PostPhoto, Thread
from forum.photos import process_post_photos
from tests.fixtracker.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db
VAKE_GPS = (41.7105, 44.7560)


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def private_files() -> set:
    """The originals in the reports' private storage (made once per process: not a test's tmp_path)."""
    folder = Path(PostPhoto._meta.get_field("original").storage.location) / "forum"
    return set(folder.iterdir()) if folder.exists() else set()


def photo(name="tree.jpg", **kwargs):
    return upload(jpeg_bytes((640, 480), gps=VAKE_GPS, **kwargs), name=name)


def test_a_reply_carries_photos_without_their_metadata(client, thread, replier, storage, settings):
    client.force_login(replier)
    response = client.post(
        reverse("forum:reply", args=[thread.pk]),
        {"body": "Here is the stump.", "photos": [photo("a.jpg"), photo("b.jpg")]},
    )
    assert response.status_code == 302
    post = Post.objects.get(thread=thread, number=2)
    photos = list(post.photos.all())
    assert len(photos) == 2
    original = Path(photos[0].original.path)
    assert original.is_relative_to(settings.PRIVATE_MEDIA_ROOT), "the original must stay private"
    assert not original.is_relative_to(settings.MEDIA_ROOT)
    assert b"PhoneMaker" in original.read_bytes()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "The photo is being prepared." in page  # until the worker has made the public copy
    process_post_photos(post.pk)
    for p in PostPhoto.objects.filter(post=post):
        assert Path(p.public.path).is_relative_to(storage / "media")
        public = Image.open(BytesIO(Path(p.public.path).read_bytes()))
        assert public.format == "JPEG" and not public.getexif(), "EXIF (camera, GPS) reached the public copy"
        assert b"PhoneMaker" not in Path(p.public.path).read_bytes()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert page.count('<img src="/media/forum/') == 2 and "private" not in page


def test_a_new_thread_takes_photos_too(client, author):
    client.force_login(author)
    response = client.post(
        reverse("forum:new"),
        {"section": "trees", "title": "A felled plane tree", "body": "On Paliashvili street.", "photos": [photo()]},
    )
    assert response.status_code == 302
    assert Thread.objects.get().posts.get().photos.count() == 1


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda: [photo(f"{i}.jpg") for i in range(5)], "A post may have at most 4 photos."),
        (lambda: [photo(), upload(b"<html><script>alert(1)</script>", name="x.jpg")], "x.jpg: Only JPEG, PNG or WebP"),
        (lambda: [upload(jpeg_bytes((64, 48))[:-200], name="cut.jpg")], "cut.jpg: The photo is damaged"),
        (lambda: [upload(b"", name="empty.jpg")], "empty.jpg: The photo file is empty."),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(client, thread, replier, storage, files, message):
    client.force_login(replier)
    before = private_files()
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Look at this.", "photos": files()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Post.objects.filter(thread=thread).count() == 1 and not PostPhoto.objects.exists()
    assert private_files() == before


def test_the_refusal_is_in_georgian_on_a_georgian_page(client, thread, replier):
    client.force_login(replier)
    with translation.override("ka"):
        url = reverse("forum:reply", args=[thread.pk])
    response = client.post(url, {"body": "ნახეთ.", "photos": [photo(f"{i}.jpg") for i in range(5)]})
    assert response.status_code == 400
    assert "პოსტს შეიძლება ჰქონდეს არაუმეტეს 4 ფოტო." in response.content.decode()


def test_the_forms_work_without_javascript(client, thread, replier):
    client.force_login(replier)
    page = client.get(thread.get_absolute_url()).content.decode()
    form = page[page.index('class="reply-form"') - 200 :]
    assert 'enctype="multipart/form-data"' in form[:400]
    assert (
        '<input type="file" id="reply-photos" name="photos" accept="image/jpeg,image/png,image/webp" multiple' in page
    )
    new = client.get(reverse("forum:new")).content.decode()
    assert 'enctype="multipart/form-data"' in new and 'id="thread-photos"' in new
