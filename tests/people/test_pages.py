"""People pages rendered by the server: what each user sees, 404 for the rest, the Photos person chip."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.people import backends
from apps.people.models import DismissedSuggestion
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def mine(user):
    return LibraryFactory(owner=user)


@pytest.fixture
def theirs(other_user):
    return LibraryFactory(owner=other_user)


def cards(response) -> list[str]:
    return [p.name for p in response.context["people"]]


def test_people_page_lists_only_people_on_my_photos_and_hides_hidden_ones(client_of, user, mine, theirs):
    bob = PersonFactory(name="Bob", face_count=2)  # the stored count (all users' faces) orders
    ada = PersonFactory(name="Ada", face_count=3)
    hidden = PersonFactory(name="Shy", hidden=True)
    stranger = PersonFactory(name="Stranger")
    FaceFactory(asset=AssetFactory(library=mine), person=ada)
    FaceFactory(asset=AssetFactory(library=mine), person=ada)
    FaceFactory(asset=AssetFactory(library=mine), person=bob)
    FaceFactory(asset=AssetFactory(library=mine), person=hidden)
    FaceFactory(asset=AssetFactory(library=theirs), person=stranger)
    FaceFactory(asset=AssetFactory(library=theirs), person=bob)  # not counted for me

    client = client_of(user)
    response = client.get("/people/")
    assert response.status_code == 200
    assert cards(response) == ["Ada", "Bob"]  # most faces first
    assert [p.visible_faces for p in response.context["people"]] == [2, 1]  # but only mine are counted
    page = response.content.decode()
    assert "Stranger" not in page and "Shy" not in page
    assert f'href="/people/{ada.pk}/"' in page
    assert "Show hidden (1)" in page

    assert cards(client.get("/people/", {"hidden": "1"})) == ["Ada", "Bob", "Shy"]


def test_people_page_cover_is_the_chosen_face_only_when_i_can_see_it(client_of, user, mine, theirs):
    ada = PersonFactory(name="Ada")
    mine_low = FaceFactory(asset=AssetFactory(library=mine), person=ada, score=0.7)
    mine_best = FaceFactory(asset=AssetFactory(library=mine), person=ada, score=0.99)
    elsewhere = FaceFactory(asset=AssetFactory(library=theirs), person=ada, score=0.999)
    client = client_of(user)

    ada.cover_face = elsewhere
    ada.save()
    page = client.get("/people/").content.decode()
    assert f"/api/faces/{mine_best.pk}/thumbnail" in page
    assert f"/api/faces/{elsewhere.pk}/thumbnail" not in page

    ada.cover_face = mine_low
    ada.save()
    assert f"/api/faces/{mine_low.pk}/thumbnail" in client.get("/people/").content.decode()


def test_people_page_query_count_does_not_grow_with_people(client_of, user, mine):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/").status_code == 200
        return len(captured)

    client = client_of(user)
    FaceFactory(asset=AssetFactory(library=mine), person=PersonFactory())
    few = queries()
    for _ in range(8):
        FaceFactory(asset=AssetFactory(library=mine), person=PersonFactory())
    assert queries() == few


def test_people_page_says_why_faces_are_unavailable(client_of, user, monkeypatch):
    monkeypatch.setattr(backends, "unavailable_reason", lambda: "yunet: cv2 is not installed")
    page = client_of(user).get("/people/").content.decode()
    assert "Face detection is unavailable: yunet: cv2 is not installed" in page


def test_people_pages_need_a_login(client):
    for url in ("/people/", "/people/unassigned/", "/people/suggestions/", "/people/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_person_page_lists_only_their_photos_that_i_can_see(client_of, user, mine, theirs):
    ada, bob = PersonFactory(name="Ada"), PersonFactory(name="Bob")
    with_ada = AssetFactory(library=mine)
    group = AssetFactory(library=mine)
    without = AssetFactory(library=mine)
    hidden_from_me = AssetFactory(library=theirs)
    ada_face = FaceFactory(asset=with_ada, person=ada)
    FaceFactory(asset=group, person=ada)
    FaceFactory(asset=group, person=bob, x=150)
    FaceFactory(asset=without, person=bob)
    their_face = FaceFactory(asset=hidden_from_me, person=ada)

    response = client_of(user).get(f"/people/{ada.pk}/")
    assert response.status_code == 200
    shown = {row["asset"].pk for row in response.context["rows"]}
    assert shown == {with_ada.pk, group.pk}
    assert response.context["photo_count"] == 2
    faces = [face.pk for face in response.context["faces"]]
    assert ada_face.pk in faces and their_face.pk not in faces and len(faces) == 2
    page = response.content.decode()
    # Ada is also in photos I cannot change: her name is shown, not offered for editing
    assert ">Ada</h1>" in page and f'data-asset="{without.pk}"' not in page


def test_person_page_pages_photos_by_infinite_scroll(client_of, user, mine, monkeypatch):
    monkeypatch.setattr("apps.people.views.PAGE_SIZE", 2)
    ada = PersonFactory(name="Ada")
    assets = [AssetFactory(library=mine) for _ in range(3)]
    for asset in assets:
        FaceFactory(asset=asset, person=ada)
    client = client_of(user)
    first = client.get(f"/people/{ada.pk}/")
    assert len(first.context["rows"]) == 2 and first.context["next_url"]
    rest = client.get(f"/people/{ada.pk}/{first.context['next_url']}", headers={"HX-Request": "true"})
    assert len(rest.context["rows"]) == 1 and rest.context["next_url"] is None
    assert "<html" not in rest.content.decode()  # the partial only
    seen = {row["asset"].pk for row in first.context["rows"] + rest.context["rows"]}
    assert seen == {a.pk for a in assets}


def test_other_users_person_is_404(client_of, user, theirs):
    stranger = PersonFactory(name="Stranger")
    FaceFactory(asset=AssetFactory(library=theirs), person=stranger)
    client = client_of(user)
    assert client.get(f"/people/{stranger.pk}/").status_code == 404
    assert client.get(f"/people/{stranger.pk}/faces/").status_code == 404
    assert client.get("/people/999999/").status_code == 404


def test_hidden_person_still_has_a_page_to_show_them_again(client_of, user, mine):
    shy = PersonFactory(name="Shy", hidden=True)
    FaceFactory(asset=AssetFactory(library=mine), person=shy)
    response = client_of(user).get(f"/people/{shy.pk}/")
    assert response.status_code == 200
    assert 'data-hidden="false">Show</button>' in response.content.decode()


def test_admin_sees_every_person(client_of, superuser, theirs):
    stranger = PersonFactory(name="Stranger")
    FaceFactory(asset=AssetFactory(library=theirs), person=stranger)
    assert client_of(superuser).get(f"/people/{stranger.pk}/").status_code == 200


def test_unassigned_review_lists_only_my_unassigned_faces(client_of, user, mine, theirs):
    ada, unnamed = PersonFactory(name="Ada"), PersonFactory(name="")
    loose = FaceFactory(asset=AssetFactory(library=mine))
    FaceFactory(asset=AssetFactory(library=mine), person=ada)
    FaceFactory(asset=AssetFactory(library=mine), person=unnamed)
    their_loose = FaceFactory(asset=AssetFactory(library=theirs))
    response = client_of(user).get("/people/unassigned/")
    assert response.status_code == 200
    assert [f.pk for f in response.context["faces"]] == [loose.pk]
    assert response.context["total"] == 1
    page = response.content.decode()
    assert f'data-face="{their_loose.pk}"' not in page
    assert f'<option value="{ada.pk}">Ada</option>' in page
    assert f'<option value="{unnamed.pk}">' not in page  # picked by name: only named people


def test_unassigned_review_pages_by_face_id(client_of, user, mine, monkeypatch):
    monkeypatch.setattr("apps.people.views.FACES_PER_PAGE", 2)
    faces = [FaceFactory(asset=AssetFactory(library=mine)) for _ in range(3)]
    client = client_of(user)
    first = client.get("/people/unassigned/")
    assert [f.pk for f in first.context["faces"]] == [faces[2].pk, faces[1].pk]
    rest = client.get("/people/unassigned/", {"before": first.context["before"]}, headers={"HX-Request": "true"})
    assert [f.pk for f in rest.context["faces"]] == [faces[0].pk] and rest.context["before"] is None


def test_photos_chip_names_the_person_and_clears_the_filter(client_of, user, mine):
    ada = PersonFactory(name="Ada")
    shown = AssetFactory(library=mine)
    AssetFactory(library=mine)  # without Ada: filtered out
    FaceFactory(asset=shown, person=ada)
    response = client_of(user).get("/", {"person": ada.pk})
    page = response.content.decode()
    assert 'Photos of <a href="/people/%d/">Ada</a>' % ada.pk in page
    assert 'href="/" title="Show all photos"' in page
    assert [row["asset"].pk for row in response.context["rows"]] == [shown.pk]
    assert "Photos of" not in client_of(user).get("/").content.decode()


def test_photos_chip_never_names_someone_i_cannot_see(client_of, user, theirs):
    stranger = PersonFactory(name="Stranger")
    FaceFactory(asset=AssetFactory(library=theirs), person=stranger)
    page = client_of(user).get("/", {"person": stranger.pk}).content.decode()
    assert "Stranger" not in page
    assert "Photos of an unknown person" in page


@pytest.fixture
def lookalikes(mine, theirs):
    ada = PersonFactory(name="Ada", centroid=unit(1, 0.05))
    twin = PersonFactory(name="", centroid=unit(1, 0))
    bob = PersonFactory(name="Bob", centroid=unit(0, 1))
    stranger = PersonFactory(name="Stranger", centroid=unit(1, 0.02))
    for person in (ada, twin, bob):
        FaceFactory(asset=AssetFactory(library=mine), person=person)
    FaceFactory(asset=AssetFactory(library=theirs), person=stranger)
    return ada, twin, bob, stranger


def test_suggestions_pair_lookalikes_i_can_see_and_keep_the_named_one(client_of, user, lookalikes):
    ada, twin, bob, stranger = lookalikes
    response = client_of(user).get("/people/suggestions/")
    assert response.status_code == 200
    [pair] = response.context["pairs"]
    assert {p.pk for p in pair["people"]} == {ada.pk, twin.pk}
    assert (pair["keep"], pair["merge"]) == (ada, twin)
    assert pair["distance"] < 0.01
    page = response.content.decode()
    assert "Stranger" not in page and "Bob" not in page
    assert "Merge into Ada" in page


def test_not_the_same_hides_the_pair_for_that_user_in_every_later_session(client_of, user, superuser, lookalikes):
    ada, twin, _, stranger = lookalikes
    client = client_of(user)
    assert client.post(f"/people/suggestions/{twin.pk}/{ada.pk}/dismiss").status_code == 200
    assert client.post(f"/people/suggestions/{ada.pk}/{twin.pk}/dismiss").status_code == 200  # once is enough
    assert DismissedSuggestion.objects.filter(user=user).count() == 1
    assert client.post(f"/people/suggestions/{ada.pk}/{stranger.pk}/dismiss").status_code == 404  # not theirs
    client.logout()
    assert client_of(user).get("/people/suggestions/").context["pairs"] == []  # a new session remembers
    others = client_of(superuser).get("/people/suggestions/").context["pairs"]
    assert any({p.pk for p in pair["people"]} == {ada.pk, twin.pk} for pair in others)  # not theirs to forget
    assert client.post(f"/people/suggestions/{ada.pk}/{ada.pk}/dismiss").status_code == 404
    assert client.get(f"/people/suggestions/{ada.pk}/{twin.pk}/dismiss").status_code == 405


def test_suggestions_take_a_max_distance(client_of, user, lookalikes):
    client = client_of(user)
    assert client.get("/people/suggestions/", {"max_distance": "0.0001"}).context["pairs"] == []
    assert len(client.get("/people/suggestions/", {"max_distance": "1.5"}).context["pairs"]) == 3
    assert client.get("/people/suggestions/", {"max_distance": "x"}).status_code == 200


def test_people_grid_and_person_faces_load_more_pages(client_of, user, mine, monkeypatch):
    monkeypatch.setattr("apps.people.views.PEOPLE_PER_PAGE", 2)
    monkeypatch.setattr("apps.people.views.FACES_PER_PAGE", 2)
    people = [PersonFactory(name=f"P{n}", face_count=10 - n) for n in range(3)]
    for person in people:
        FaceFactory(asset=AssetFactory(library=mine), person=person)
    faces = [FaceFactory(asset=AssetFactory(library=mine), person=people[0]) for _ in range(2)]
    client = client_of(user)

    first = client.get("/people/")
    assert cards(first) == ["P0", "P1"] and first.context["next_offset"] == 2
    rest = client.get("/people/", {"offset": 2}, headers={"HX-Request": "true"})
    assert cards(rest) == ["P2"] and rest.context["next_offset"] is None
    assert client.get("/people/", {"offset": "x"}).status_code == 400

    page = client.get(f"/people/{people[0].pk}/")
    shown = [f.pk for f in page.context["faces"]]
    more = client.get(f"/people/{people[0].pk}/faces/", {"after": page.context["faces_after"]})
    assert len(shown) == 2 and [f.pk for f in more.context["faces"]] == [faces[-1].pk]
    assert more.context["faces_after"] is None
