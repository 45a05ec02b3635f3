"""A person whose faces are in several users' libraries is nobody's alone: a user changes only the
people all of whose faces they may change, an admin those whose faces they all see; and what each
user receives (counts, cover, status totals) comes from the faces they can see."""

import base64
import json
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image

from apps.assets.derivatives import images
from apps.people.models import FaceJob, Person
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_library(other_user):
    """Bob's private library: alice (`user`) sees nothing of it."""
    return LibraryFactory(owner=other_user, name="Bob's photos")


def face_in(library, person=None, score=0.9):
    asset = AssetFactory(library=library)
    images.write_image_derivatives(Image.new("RGB", (200, 150), "tan"), asset.pk)
    return FaceFactory(asset=asset, person=person, score=score)


def person_in(*libraries, name="Ada", **fields):
    """A person with one face in each of `libraries`, counted as clustering would count them."""
    person = PersonFactory(name=name, **fields)
    for library in libraries:
        face_in(library, person)
    Person.objects.filter(pk=person.pk).update(face_count=len(libraries))
    return person


def test_a_user_cannot_rename_or_hide_a_person_who_is_also_in_another_users_private_photos(
    user_client, other_client, library, bobs_library
):
    # GIVEN Ada, with a face in alice's photos and one in bob's private photos
    ada = person_in(library, bobs_library)
    # WHEN alice renames or hides her
    renamed = user_client.patch(f"/api/people/{ada.pk}/", {"name": "Not Ada"}, format="json")
    hidden = user_client.patch(f"/api/people/{ada.pk}/", {"hidden": True}, format="json")
    # THEN both are refused, and bob still sees Ada as she was
    assert renamed.status_code == 403 and "cannot see or change" in renamed.json()["detail"]
    assert hidden.status_code == 403
    body = other_client.get(f"/api/people/{ada.pk}/").json()
    assert (body["name"], body["hidden"]) == ("Ada", False)


def test_seeing_a_persons_faces_through_a_share_is_not_enough_to_change_the_person(
    user, user_client, other_client, library, bobs_library
):
    # GIVEN bob shares his library with alice, and Ada has a face in each library
    bobs_library.shared_with.add(user)
    ada = person_in(library, bobs_library)
    bea = person_in(library, name="Bea")
    # WHEN alice renames, deletes or merges Ada
    answers = [
        user_client.patch(f"/api/people/{ada.pk}/", {"name": "Not Ada"}, format="json"),
        user_client.delete(f"/api/people/{ada.pk}/"),
        user_client.post(f"/api/people/{ada.pk}/merge", {"into": bea.pk}, format="json"),
        user_client.post("/api/people/merge", {"people": [ada.pk], "into": bea.pk}, format="json"),
    ]
    # THEN each is refused: Ada's face in bob's photo is bob's (or an admin's) to change
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    assert other_client.get(f"/api/people/{ada.pk}/").json()["name"] == "Ada"
    assert Person.objects.get(pk=ada.pk).faces.count() == 2


def test_merging_ones_own_person_into_a_shared_one_is_refused_because_it_would_name_it(
    user_client, other_client, library, bobs_library
):
    # GIVEN alice's Bea, and a nameless person with faces in alice's and bob's photos
    bea = person_in(library, name="Bea")
    nameless = person_in(library, bobs_library, name="")
    # WHEN alice merges Bea into the nameless person (who would take the name Bea)
    response = user_client.post(f"/api/people/{bea.pk}/merge", {"into": nameless.pk}, format="json")
    # THEN it is refused, and bob's view of the person keeps no name
    assert response.status_code == 403
    assert other_client.get(f"/api/people/{nameless.pk}/").json()["name"] == ""
    assert Person.objects.filter(pk=bea.pk).exists()


def test_a_user_changes_the_people_all_of_whose_faces_are_theirs(user_client, library, bobs_library):
    # GIVEN Ada only in alice's photos (and Bob only in bob's)
    ada = person_in(library)
    person_in(bobs_library, name="Bob")
    # WHEN alice renames and hides her
    response = user_client.patch(f"/api/people/{ada.pk}/", {"name": "Ada L.", "hidden": True}, format="json")
    # THEN it is done
    assert response.status_code == 200, response.content
    ada.refresh_from_db()
    assert (ada.name, ada.hidden) == ("Ada L.", True)


def test_an_admin_who_sees_every_face_renames_the_shared_person_for_everyone(
    admin_user, admin_client, other_client, library, bobs_library
):
    # GIVEN Ada in alice's and bob's photos, and an admin who sees only alice's library
    ada = person_in(library, bobs_library)
    library.shared_with.add(admin_user)
    # WHEN the admin renames her, THEN it is refused: one of her faces is hidden from the admin
    assert admin_client.patch(f"/api/people/{ada.pk}/", {"name": "Ada L."}, format="json").status_code == 403
    # WHEN bob's library is shared with the admin too, THEN the admin renames her for everyone
    bobs_library.shared_with.add(admin_user)
    response = admin_client.patch(f"/api/people/{ada.pk}/", {"name": "Ada L."}, format="json")
    assert response.status_code == 200, response.content
    assert other_client.get(f"/api/people/{ada.pk}/").json()["name"] == "Ada L."


def test_counts_and_cover_a_user_receives_come_from_the_faces_they_see(
    user_client, other_client, library, bobs_library
):
    # GIVEN Ada with one face in alice's photos and three in bob's, her chosen cover one of bob's
    ada = PersonFactory(name="Ada")
    alices_face = face_in(library, ada, score=0.5)
    bobs_faces = [face_in(bobs_library, ada, score=0.9) for _ in range(3)]
    Person.objects.filter(pk=ada.pk).update(face_count=4, cover_face=bobs_faces[0])
    # AND Bea with two faces, both alice's
    bea = person_in(library, library, name="Bea")
    # WHEN alice lists people and opens Ada
    listed = user_client.get("/api/people/", {"page_size": 1}).json()
    detail = user_client.get(f"/api/people/{ada.pk}/").json()
    # THEN she gets her own count and her own face as the cover, and Bea (two faces she sees) first
    assert (detail["face_count"], detail["cover_face"]) == (1, alices_face.pk)
    assert [row["id"] for row in listed["results"]] == [bea.pk]
    # AND the cursor to the next page holds the count she sees, not the stored one
    [cursor] = parse_qs(urlparse(listed["next"]).query)["cursor"]
    assert json.loads(base64.urlsafe_b64decode(cursor))[0] == 2
    rest = user_client.get(listed["next"]).json()["results"]
    assert [(row["id"], row["face_count"]) for row in rest] == [(ada.pk, 1)]
    # AND bob gets his three faces and the chosen cover
    bobs_view = other_client.get(f"/api/people/{ada.pk}/").json()
    assert (bobs_view["face_count"], bobs_view["cover_face"]) == (3, bobs_faces[0].pk)


def test_merge_suggestions_and_merges_answer_with_the_callers_counts(user_client, library, bobs_library):
    # GIVEN alice's Ada (one face) and a look-alike with one face of alice's and two of bob's
    ada = person_in(library, centroid=unit(1, 0.05))
    twin = person_in(library, bobs_library, bobs_library, name="", centroid=unit(1, 0))
    # WHEN alice asks for merge suggestions
    [row] = user_client.get("/api/people/merge-suggestions", {"max_distance": 0.1}).json()
    # THEN both people come with the counts she sees
    counts = {
        row["person"]["id"]: row["person"]["face_count"],
        row["other"]["id"]: row["other"]["face_count"],
    }
    assert counts == {ada.pk: 1, twin.pk: 1}
    # AND smart merge leaves the pair alone: the look-alike is not hers to merge
    report = user_client.post("/api/people/smart-merge", {"max_distance": 0.1}, format="json").json()
    assert (report["merged"], report["skipped_not_visible"]) == ([], 1)


def test_faces_status_totals_count_only_what_the_user_sees_and_jobs_only_for_admins(
    user_client, admin_client, library, bobs_library
):
    # GIVEN one assigned face in alice's photos, three in bob's, and a detection job running
    person_in(library)
    person_in(bobs_library, bobs_library, bobs_library, name="Bob")
    job = FaceJob.objects.create(
        kind=FaceJob.Kind.DETECT, state=FaceJob.State.RUNNING, assets_total=4, batches_total=2
    )
    # WHEN alice asks for the faces status
    mine = user_client.get("/api/faces/status").json()
    # THEN the totals are hers, and the job (whose counts span every library) is not shown to her
    assert (mine["faces"], mine["assigned_faces"], mine["people"]) == (1, 1, 1)
    assert mine["jobs"] == {"detect": None, "recluster": None} and mine["queue_depth"] == 0
    assert mine["running"] is True  # that face work runs says nothing of anyone's photos
    # AND an admin, who runs face work, sees the job
    theirs = admin_client.get("/api/faces/status").json()
    assert theirs["jobs"]["detect"]["id"] == job.pk and theirs["queue_depth"] == 2


def test_the_person_page_offers_renaming_only_where_the_user_may_change_the_person(
    client, user, library, bobs_library
):
    # GIVEN Ada in alice's and bob's photos, and Bea only in alice's
    ada, bea = person_in(library, bobs_library), person_in(library, name="Bea")
    client.force_login(user)
    # WHEN alice opens their pages
    shared_page, own_page = client.get(f"/people/{ada.pk}/"), client.get(f"/people/{bea.pk}/")
    # THEN only Bea's page has the name field and the hide button
    assert not shared_page.context["may_change"] and "data-rename" not in shared_page.content.decode()
    assert own_page.context["may_change"] and "data-rename" in own_page.content.decode()
