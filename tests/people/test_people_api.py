"""People API behaviour: lists, rename/hide/cover, delete, merges, a person's assets and thumbnail.
Who may call what is in tests/people/test_matrix_people.py."""

import io

import pytest
from PIL import Image

from apps.assets.derivatives import images
from apps.assets.models import Asset
from apps.people.models import Face, FaceRejection, Person
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_library(other_user, user):
    """other_user's library, shared with user: user sees its photos but does not own them."""
    library = LibraryFactory(owner=other_user)
    library.shared_with.add(user)
    return library


def person_with_faces(library, n=1, name="", preview=False, **fields):
    person = PersonFactory(name=name, **fields)
    for i in range(n):
        asset = AssetFactory(library=library)
        if preview:
            images.write_image_derivatives(Image.new("RGB", (200, 150), "tan"), asset.pk)
        FaceFactory(asset=asset, person=person, score=0.9 + i / 100)
    Person.objects.filter(pk=person.pk).update(face_count=n)
    person.refresh_from_db()
    return person


def test_the_list_shows_counts_and_cover_urls_biggest_first_and_hides_hidden_people(user_client, library):
    ada = person_with_faces(library, 3, "Ada")
    bea = person_with_faces(library, 1, "Bea")
    hidden = person_with_faces(library, 2, "Hid", hidden=True)
    rows = user_client.get("/api/people/").json()["results"]
    assert [(r["name"], r["face_count"]) for r in rows] == [("Ada", 3), ("Bea", 1)]
    assert rows[0]["thumbnail"] == f"/api/people/{ada.pk}/thumbnail"
    only_hidden = user_client.get("/api/people/", {"hidden": "true"}).json()["results"]
    assert [r["id"] for r in only_hidden] == [hidden.pk]
    everyone = user_client.get("/api/people/", {"include_hidden": "true"}).json()["results"]
    assert [r["id"] for r in everyone] == [ada.pk, hidden.pk, bea.pk]
    named_b = user_client.get("/api/people/", {"name": "be"}).json()["results"]
    assert [r["id"] for r in named_b] == [bea.pk]


def test_the_list_pages_by_keyset_and_costs_the_same_queries_for_many(
    user_client, library, django_assert_max_num_queries
):
    for n in range(12):
        person_with_faces(library, 1, f"P{n}")
    with django_assert_max_num_queries(5):
        first = user_client.get("/api/people/", {"page_size": 5, "ordering": "name"}).json()
    assert len(first["results"]) == 5 and first["next"]
    seen = [r["name"] for r in first["results"]]
    next_url = first["next"]
    while next_url:
        page = user_client.get(next_url).json()
        seen += [r["name"] for r in page["results"]]
        next_url = page["next"]
    assert seen == sorted(f"P{n}" for n in range(12))


def test_rename_and_hide(user_client, library):
    ada = person_with_faces(library, 1, "Ada")
    response = user_client.patch(
        f"/api/people/{ada.pk}/", {"name": "  Ada L.  ", "hidden": True}, format="json"
    )
    assert response.status_code == 200, response.content
    ada.refresh_from_db()
    assert (ada.name, ada.hidden) == ("Ada L.", True)
    assert response.json()["name"] == "Ada L."


def test_a_hidden_person_is_reached_by_its_url_to_be_shown_again(user_client, library):
    hidden = person_with_faces(library, 1, "Hid", hidden=True)
    assert user_client.get(f"/api/people/{hidden.pk}/").status_code == 200
    response = user_client.patch(f"/api/people/{hidden.pk}/", {"hidden": False}, format="json")
    assert response.status_code == 200 and response.json()["hidden"] is False


def test_the_cover_must_be_one_of_the_persons_faces(user_client, library):
    ada, bea = person_with_faces(library, 2, "Ada"), person_with_faces(library, 1, "Bea")
    own_face, other_face = ada.faces.first(), bea.faces.get()
    response = user_client.patch(f"/api/people/{ada.pk}/", {"cover_face": other_face.pk}, format="json")
    assert response.status_code == 400
    assert "not one of this person's faces" in response.json()["cover_face"][0]
    response = user_client.patch(f"/api/people/{ada.pk}/", {"cover_face": own_face.pk}, format="json")
    assert response.status_code == 200 and response.json()["cover_face"] == own_face.pk


def test_a_put_is_not_offered(user_client, library):
    ada = person_with_faces(library, 1, "Ada")
    assert user_client.put(f"/api/people/{ada.pk}/", {"name": "x"}, format="json").status_code == 405


def test_delete_leaves_the_faces_unassigned(user_client, library):
    ada = person_with_faces(library, 2, "Ada")
    faces = list(ada.faces.values_list("pk", flat=True))
    assert user_client.delete(f"/api/people/{ada.pk}/").status_code == 204
    assert not Person.objects.filter(pk=ada.pk).exists()
    assert set(Face.objects.filter(pk__in=faces).values_list("person", flat=True)) == {None}


def test_merge_moves_faces_and_rejections_and_keeps_the_targets_name(user_client, library):
    ada, twin = person_with_faces(library, 2, "Ada"), person_with_faces(library, 3, "")
    moved = list(twin.faces.values_list("pk", flat=True))
    rejected = FaceFactory(asset=AssetFactory(library=library))
    FaceRejection.objects.create(face=rejected, person=twin)
    response = user_client.post(f"/api/people/{twin.pk}/merge", {"into": ada.pk}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["name"], response.json()["face_count"]) == (
        ada.pk,
        "Ada",
        5,
    )
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert Face.objects.filter(person=ada).count() == 5
    # The user said these are Ada: a re-cluster keeps them there.
    assert set(Face.objects.filter(pk__in=moved).values_list("assigned_by", flat=True)) == {"user"}
    assert FaceRejection.objects.filter(face=rejected, person=ada).exists()


def test_a_nameless_target_takes_the_merged_persons_name(user_client, library):
    ada, nameless = person_with_faces(library, 1, "Ada"), person_with_faces(library, 1, "")
    body = user_client.post(f"/api/people/{ada.pk}/merge", {"into": nameless.pk}, format="json").json()
    assert (body["id"], body["name"]) == (nameless.pk, "Ada")


def test_merging_into_itself_or_someone_unseen_is_a_400(user_client, library, other_user):
    ada = person_with_faces(library, 1, "Ada")
    theirs = person_with_faces(LibraryFactory(owner=other_user), 1, "Theirs")
    response = user_client.post(f"/api/people/{ada.pk}/merge", {"into": ada.pk}, format="json")
    assert response.status_code == 400 and "itself" in response.json()["into"][0]
    response = user_client.post(f"/api/people/{ada.pk}/merge", {"into": theirs.pk}, format="json")
    assert response.status_code == 400 and "no such person" in response.json()["into"][0]
    assert Person.objects.filter(pk=ada.pk).exists()


def test_batch_merge(user_client, library):
    ada, b, c = (person_with_faces(library, n, name) for n, name in ((3, "Ada"), (1, ""), (2, "")))
    response = user_client.post("/api/people/merge", {"people": [b.pk, c.pk], "into": ada.pk}, format="json")
    assert response.status_code == 200 and response.json()["face_count"] == 6
    assert list(Person.objects.values_list("pk", flat=True)) == [ada.pk]
    response = user_client.post("/api/people/merge", {"people": [ada.pk], "into": ada.pk}, format="json")
    assert response.status_code == 400


def test_a_person_also_in_photos_the_caller_cannot_see_is_not_theirs_to_change(
    user_client, library, other_user
):
    """Merging, deleting and (issue 11) renaming would change the person for the other user too."""
    mixed = person_with_faces(library, 1, "Mixed")
    FaceFactory(asset=AssetFactory(library=LibraryFactory(owner=other_user)), person=mixed)
    ada = person_with_faces(library, 1, "Ada")
    response = user_client.post(f"/api/people/{mixed.pk}/merge", {"into": ada.pk}, format="json")
    assert response.status_code == 403 and "cannot see" in response.json()["detail"]
    assert user_client.delete(f"/api/people/{mixed.pk}/").status_code == 403
    assert Face.objects.filter(person=mixed).count() == 2
    assert user_client.patch(f"/api/people/{mixed.pk}/", {"name": "M"}, format="json").status_code == 403
    assert Person.objects.get(pk=mixed.pk).name == "Mixed"


def test_a_persons_assets_use_the_asset_list_filters_and_paging(user_client, library):
    ada = person_with_faces(library, 3, "Ada")
    video = AssetFactory(library=library, kind=Asset.Kind.VIDEO)
    FaceFactory(asset=video, person=ada)
    FaceFactory(asset=video, person=ada, x=100)  # twice in one asset: listed once
    FaceFactory(asset=AssetFactory(library=library))  # someone else
    rows = user_client.get(f"/api/people/{ada.pk}/assets/").json()["results"]
    assert len(rows) == 4 and len({r["id"] for r in rows}) == 4
    videos = user_client.get(f"/api/people/{ada.pk}/assets/", {"kind": "video"}).json()["results"]
    assert [r["id"] for r in videos] == [str(video.pk)]
    first = user_client.get(f"/api/people/{ada.pk}/assets/", {"page_size": 3}).json()
    assert len(first["results"]) == 3 and len(user_client.get(first["next"]).json()["results"]) == 1


def test_a_persons_assets_leave_out_photos_the_caller_cannot_see(user_client, library, other_user):
    ada = person_with_faces(library, 1, "Ada")
    FaceFactory(asset=AssetFactory(library=LibraryFactory(owner=other_user)), person=ada)
    rows = user_client.get(f"/api/people/{ada.pk}/assets/").json()["results"]
    assert [r["id"] for r in rows] == [str(ada.faces.filter(asset__library=library).get().asset_id)]


def test_the_thumbnail_uses_the_cover_only_when_the_caller_sees_it(user_client, library, other_user):
    ada = person_with_faces(library, 1, "Ada", preview=True)
    hidden_asset = AssetFactory(library=LibraryFactory(owner=other_user))
    images.write_image_derivatives(Image.new("RGB", (200, 150), "navy"), hidden_asset.pk)
    hidden_cover = FaceFactory(asset=hidden_asset, person=ada, score=0.99)
    Person.objects.filter(pk=ada.pk).update(cover_face=hidden_cover)
    response = user_client.get(f"/api/people/{ada.pk}/thumbnail", {"size": 48})
    assert response.status_code == 200
    crop = Image.open(io.BytesIO(response.content))
    assert crop.size == (48, 48)
    red, green, blue = crop.convert("RGB").getpixel((24, 24))
    assert red > blue  # tan (the caller's photo), not navy (the hidden cover)


def test_refresh_centroid_recounts_faces(user_client, library):
    ada = person_with_faces(library, 2, "Ada")
    Person.objects.filter(pk=ada.pk).update(face_count=99)
    response = user_client.post(f"/api/people/{ada.pk}/refresh-centroid")
    assert response.status_code == 200 and response.json()["face_count"] == 2


def test_a_shared_library_person_can_be_seen_but_its_faces_not_reassigned(user_client, shared_library):
    person = person_with_faces(shared_library, 1, "Shared")
    face = person.faces.get()
    assert user_client.get(f"/api/people/{person.pk}/").status_code == 200
    response = user_client.post(f"/api/faces/{face.pk}/unassign")
    assert response.status_code == 403 and "owner" in response.json()["detail"]
    assert Face.objects.get(pk=face.pk).person_id == person.pk
