"""Starting a thread, reading it, replying with a quote, in reply to, supporting, editing, deleting."""

import pytest
from django.urls import reverse

from forum.models import Post, PostRevision, Support, Thread
from tests.forum.conftest import established, make_permit, placed, start_thread

pytestmark = pytest.mark.django_db


def test_it_starts_a_thread_from_the_form_without_javascript(client, author):
    client.force_login(author)
    response = client.post(
        reverse("forum:new"),
        {
            "section": "trees",
            "title": "ვაკის პარკის ხეები",
            "body": "**რატომ** ჭრიან?",
            "place_kind": "district",
            "district": "vake",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert thread.reference == f"F-{thread.pk}" and thread.district.slug == "vake"
    assert thread.posts.get().body_html == "<p><strong>რატომ</strong> ჭრიან?</p>\n"
    page = client.get(thread.get_absolute_url())
    assert "ვაკის პარკის ხეები" in page.content.decode()


def test_it_replies_with_a_quote_and_links_the_post_replied_to(client, thread, replier):
    first = thread.posts.get()
    client.force_login(replier)
    form = client.get(thread.get_absolute_url(), {"quote": first.pk})
    assert "&gt; They are to be cut. Why?" in form.content.decode()
    response = client.post(
        reverse("forum:reply", args=[thread.pk]),
        {"body": "> They are to be cut.\n\nBecause of the metro.", "reply_to": first.pk},
    )
    reply = Post.objects.get(number=2)
    assert response.status_code == 302 and reply.reply_to == first
    assert "<blockquote>" in reply.body_html
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "in reply to #1" in page
    thread.refresh_from_db()
    assert thread.posts_count == 2


def test_it_counts_support_once_per_account(client, thread, replier):
    first = thread.posts.get()
    client.force_login(replier)
    assert client.post(reverse("forum:support", args=[first.pk])).status_code == 302
    second = client.post(reverse("forum:support", args=[first.pk]))
    assert second.status_code == 409
    assert Support.objects.count() == 1
    thread.refresh_from_db()
    assert thread.support_count == 1


def test_it_refuses_support_for_ones_own_post(client, thread, author):
    client.force_login(author)
    assert client.post(reverse("forum:support", args=[thread.posts.get().pk])).status_code == 400
    assert Support.objects.count() == 0


def test_it_keeps_the_edit_history_visible_to_all(client, thread, author):
    first = thread.posts.get()
    client.force_login(author)
    client.post(reverse("forum:edit", args=[first.pk]), {"title": "Plane trees, again", "body": "Corrected text."})
    first.refresh_from_db()
    assert first.body == "Corrected text." and PostRevision.objects.get().body == "They are to be cut. Why?"
    client.logout()
    history = client.get(reverse("forum:history", args=[first.pk])).content.decode()
    assert "They are to be cut. Why?" in history and "Corrected text." in history
    assert "Plane trees on Chavchavadze Avenue" in history


def test_a_deleted_post_says_deleted_by_the_author(client, thread, replier):
    client.force_login(replier)
    client.post(reverse("forum:reply", args=[thread.pk]), {"body": "A reply I regret."})
    post = Post.objects.get(number=2)
    client.post(reverse("forum:delete", args=[post.pk]))
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "deleted by the author" in page and "A reply I regret." not in page


def test_it_refuses_editing_or_deleting_someone_elses_post(client, thread, replier):
    first = thread.posts.get()
    client.force_login(replier)
    assert client.post(reverse("forum:edit", args=[first.pk]), {"body": "Mine now"}).status_code == 403
    assert client.post(reverse("forum:delete", args=[first.pk])).status_code == 403
    first.refresh_from_db()
    assert first.body == "They are to be cut. Why?" and first.deleted_at is None


def test_it_links_map_items_and_other_threads(client, author):
    permit = make_permit()
    other = start_thread(author, title="An older discussion", body="Older text here")
    client.force_login(author)
    client.post(
        reverse("forum:new"),
        {
            "section": "construction",
            "title": "The new tower",
            "body": "Who approved it?",
            "items": [f"construction-permits:{permit.pk}"],
            "links": f"http://testserver{other.get_absolute_url()}",
        },
    )
    thread = Thread.objects.get(title="The new tower")
    assert list(thread.item_links.values_list("layer", "item_id")) == [("construction-permits", permit.pk)]
    assert list(thread.related.all()) == [other]
    permit_page = client.get(permit.get_absolute_url()).content.decode()
    assert "The new tower" in permit_page and "Discuss this" in permit_page


def test_the_thread_page_works_in_georgian(client, thread):
    page = client.get(f"/ka/forum/t/{thread.pk}/").content.decode()
    assert "პასუხი" in page


def test_the_last_page_of_a_long_thread_shows_its_last_posts(client, thread):
    from forum.models import Post

    Post.objects.bulk_create(
        [
            Post(thread=thread, number=n, author=thread.author, body=f"post {n}", body_html=f"<p>post {n}</p>")
            for n in range(2, 46)
        ]
    )
    Thread.objects.filter(pk=thread.pk).update(posts_count=45)
    page = client.get(thread.get_absolute_url(), {"page": 3}).content.decode()
    assert "post 45" in page and "post 41" in page and "post 40" not in page
    assert client.get(thread.get_absolute_url(), {"page": 4}).status_code == 404
    jump = client.get(thread.get_absolute_url(), {"post": 25})
    assert jump["Location"].endswith("?page=2#p25")


def test_a_signed_in_reader_sees_unread_markers(client, thread, replier, author):
    client.force_login(replier)
    client.get(thread.get_absolute_url())
    other = established(email="third@example.ge")
    client.force_login(other)
    client.post(reverse("forum:reply", args=[thread.pk]), {"body": "New reply from a third person"})
    client.force_login(replier)
    listing = client.get(reverse("forum:index")).content.decode()
    assert "1 new" in listing
    assert placed  # the helper stays importable for other modules
