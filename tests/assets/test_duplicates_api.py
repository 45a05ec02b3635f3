"""The duplicate API and review page: shared libraries, hidden members, actions through HTTP."""

import pytest
from django.utils import timezone

from apps.assets.models import Asset, DuplicateGroup, DuplicateMember
from tests.factories import AssetFactory, LibraryFactory


def group_of(owner, *libraries, kind="near"):
    group = DuplicateGroup.objects.create(owner=owner, kind=kind, signature=f"{kind}-{timezone.now().timestamp()}")
    for n, library in enumerate(libraries):
        asset = AssetFactory(library=library, size=1000 * (n + 1), width=100 * (n + 1), height=100)
        DuplicateMember.objects.create(group=group, asset=asset, distance=n, is_reference=n == len(libraries) - 1)
    return group


@pytest.mark.django_db
def test_a_group_with_one_member_the_caller_cannot_see_is_not_there(user, other_user, api_client):
    shared, private = LibraryFactory(owner=user), LibraryFactory(owner=user)
    shared.shared_with.add(other_user)
    visible = group_of(user, shared, shared)
    half_hidden = group_of(user, shared, private)
    api_client.force_authenticate(other_user)

    listed = [row["id"] for row in api_client.get("/api/duplicates/").json()["results"]]

    assert listed == [visible.pk]
    assert api_client.get(f"/api/duplicates/{half_hidden.pk}/").status_code == 404
    # Seeing a shared library is not owning it: no resolving someone else's files.
    refused = api_client.post(f"/api/duplicates/{visible.pk}/keep-all/")
    assert refused.status_code == 403
    assert DuplicateGroup.objects.get(pk=visible.pk).resolved_at is None


@pytest.mark.django_db
def test_keep_through_the_api_trashes_the_others(user, user_client):
    library = LibraryFactory(owner=user)
    group = group_of(user, library, library, library)
    keep = group.members.get(is_reference=False, distance=0).asset

    response = user_client.post(f"/api/duplicates/{group.pk}/keep/", {"asset": str(keep.pk)}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["resolution"] == "kept_one" and body["kept"] == str(keep.pk)
    assert set(Asset.objects.filter(deleted_at__isnull=True).values_list("pk", flat=True)) == {keep.pk}
    assert user_client.get("/api/duplicates/").json()["results"] == []
    assert [row["id"] for row in user_client.get("/api/duplicates/", {"resolved": "true"}).json()["results"]] == [group.pk]
    again = user_client.post(f"/api/duplicates/{group.pk}/stack/")
    assert again.status_code == 409


@pytest.mark.django_db
def test_detail_lists_members_with_evidence_and_recoverable_bytes(user, user_client):
    library = LibraryFactory(owner=user)
    group = group_of(user, library, library)

    body = user_client.get(f"/api/duplicates/{group.pk}/").json()

    assert body["recoverable_bytes"] == 1000 and body["member_count"] == 2
    assert {(m["asset"]["size"], m["distance"], m["is_reference"]) for m in body["members"]} == {
        (1000, 0, False), (2000, 1, True)}
    assert user_client.post(f"/api/duplicates/{group.pk}/keep/", {"asset": "00000000-0000-0000-0000-000000000009"},
                            format="json").status_code == 400


@pytest.mark.django_db
def test_review_page_shows_groups_side_by_side_and_acts_through_htmx(user, client):
    library = LibraryFactory(owner=user)
    group = group_of(user, library, library)
    client.force_login(user)

    page = client.get("/duplicates/").content.decode()
    assert f'id="group-{group.pk}"' in page and "Keep all" in page and "200 × 100" in page

    card = client.post(f"/duplicates/{group.pk}/stack", headers={"HX-Request": "true"})
    assert card.status_code == 200 and "Resolved" in card.content.decode()
    assert Asset.objects.filter(stack__isnull=False).count() == 2


@pytest.mark.django_db
def test_review_page_answers_a_refused_unknown_or_repeated_action_with_its_status_and_reason(
    user, other_user, library, client
):
    library.shared_with.add(other_user)
    group = group_of(user, library, library)
    htmx = {"HX-Request": "true"}

    client.force_login(other_user)  # sees the shared library, owns none of it
    refused = client.post(f"/duplicates/{group.pk}/keep-all", headers=htmx)
    assert refused.status_code == 403 and "only the owner of every file" in refused.content.decode()
    client.force_login(user)
    assert client.post(f"/duplicates/{group.pk}/shred", headers=htmx).status_code == 400
    assert client.post(f"/duplicates/{group.pk + 1}/keep-all", headers=htmx).status_code == 404
    assert client.post(f"/duplicates/{group.pk}/keep-all", headers=htmx).status_code == 200
    again = client.post(f"/duplicates/{group.pk}/stack", headers=htmx)
    assert again.status_code == 409 and "already resolved" in again.content.decode()
    assert Asset.objects.filter(stack__isnull=False).count() == 0


@pytest.mark.django_db
def test_list_and_review_page_query_counts_do_not_grow_with_groups(user, user_client, client, django_assert_max_num_queries):
    library = LibraryFactory(owner=user)
    for _ in range(12):
        group_of(user, library, library, library)
    client.force_login(user)

    with django_assert_max_num_queries(6):
        assert len(user_client.get("/api/duplicates/").json()["results"]) == 12
    with django_assert_max_num_queries(12):
        assert client.get("/duplicates/").status_code == 200
