import factory

from apps.albums.models import Album, AlbumMember, Role
from tests.factories import UserFactory


class AlbumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Album

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Album {n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlbumMember

    album = factory.SubFactory(AlbumFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER
