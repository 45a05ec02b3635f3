"""People's names, keywords and descriptions in the search document."""

import pytest

from apps.assets.models import AssetMetadata
from apps.search import services
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "/api/search/"


@pytest.fixture
def library(user):
    return LibraryFactory(owner=user)


def found(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_persons_name_finds_the_photos_with_their_face(user_client, library):
    anna = PersonFactory(name="Anna Müller")
    with_anna, without = AssetFactory(library=library), AssetFactory(library=library)
    FaceFactory(asset=with_anna, person=anna)
    FaceFactory(asset=without, person=None)
    services.index_assets([with_anna, without])
    assert found(user_client, "anna") == {str(with_anna.pk)}
    assert found(user_client, "muller anna") == {str(with_anna.pk)}


def test_a_rename_shows_after_reindexing_and_the_old_name_is_gone(user_client, library):
    person = PersonFactory(name="Ben")
    asset = AssetFactory(library=library)
    FaceFactory(asset=asset, person=person)
    services.index_assets([asset])
    person.name = "Benedikt"
    person.save()
    services.index_assets(type(asset).objects.filter(pk=asset.pk))  # a queryset works as well as a list
    assert found(user_client, "benedikt") == {str(asset.pk)}
    person.name = "Carla"
    person.save()
    services.index_assets([asset])
    assert found(user_client, "benedikt") == set()


def test_hidden_and_unnamed_people_add_no_words(user_client, library):
    asset = AssetFactory(library=library)
    FaceFactory(asset=asset, person=PersonFactory(name="Secret", hidden=True))
    FaceFactory(asset=asset, person=PersonFactory(name=""))
    services.index_assets([asset])
    assert found(user_client, "secret") == set()


def test_a_name_outranks_a_camera_word(user_client, library):
    by_camera = AssetFactory(library=library, camera_model="Leica Q")
    by_face = AssetFactory(library=library)
    FaceFactory(asset=by_face, person=PersonFactory(name="Leica"))
    services.index_assets([by_camera, by_face])
    response = user_client.get(URL, {"q": "leica"}).json()["results"]
    assert [row["id"] for row in response] == [str(by_face.pk), str(by_camera.pk)]


def test_keywords_and_descriptions_from_xmp_and_exif(user_client, library):
    asset = AssetFactory(library=library)
    AssetMetadata.objects.create(asset=asset, tags={
        "XMP": "<x:xmpmeta><dc:subject><rdf:Bag><rdf:li>Wedding</rdf:li><rdf:li>Fl&#252;gel</rdf:li></rdf:Bag>"
               "</dc:subject><dc:description><rdf:Alt><rdf:li xml:lang='x-default'>Cake cutting</rdf:li>"
               "</rdf:Alt></dc:description><lr:hierarchicalSubject><rdf:Bag><rdf:li>Family|Cousins</rdf:li>"
               "</rdf:Bag></lr:hierarchicalSubject></x:xmpmeta>",
        "EXIF": {"Image ImageDescription": "Harbour at dusk", "Image XPKeywords": list("Ferry".encode("utf-16-le"))},
    })
    stamped = AssetFactory(library=library)
    AssetMetadata.objects.create(asset=stamped, tags={"EXIF": {"Image ImageDescription": "OLYMPUS DIGITAL CAMERA"}})
    services.index_assets([asset, stamped])
    for word in ("wedding", "flugel", "cake", "cousins", "harbour", "ferry"):
        assert found(user_client, word) == {str(asset.pk)}, word
    assert found(user_client, "olympus") == set()


def test_video_title_tags(user_client, library):
    asset = AssetFactory(library=library, kind="video")
    AssetMetadata.objects.create(asset=asset, tags={"ffprobe": {"tags": {"title": "Sailing trip", "encoder": "Lavf"}}})
    services.index_assets([asset])
    assert found(user_client, "sailing") == {str(asset.pk)}
    assert found(user_client, "lavf") == set()
