import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.assets.models import Asset
from apps.scanning.models import Library

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Library {n}")
    root_path = factory.Sequence(lambda n: f"/srv/photos/library-{n}")
    owner = factory.SubFactory(UserFactory)


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    library = factory.SubFactory(LibraryFactory)
    path = factory.Sequence(lambda n: f"2024/IMG_{n:04d}.jpg")
    filename = factory.LazyAttribute(lambda o: o.path.rsplit("/", 1)[-1])
    kind = Asset.Kind.PHOTO
    mime = "image/jpeg"
    size = 1024
    taken_at = factory.LazyFunction(timezone.now)
    status = Asset.Status.READY
