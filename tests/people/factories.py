import factory
import numpy as np

from apps.people.models import Face, Person
from tests.factories import AssetFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class FaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Face

    asset = factory.SubFactory(AssetFactory)
    x, y, width, height = 40, 30, 60, 80
    preview_width, preview_height = 200, 150
    landmarks = factory.LazyFunction(lambda: [[60, 60], [80, 60], [70, 75], [62, 90], [78, 90]])
    score = 0.95
    backend = "yunet"


def unit(*head: float) -> list[float]:
    """A 128-d unit vector starting with `head` (the centroid family of the offline backend)."""
    vector = list(head) + [0.0] * (128 - len(head))
    norm = sum(v * v for v in vector) ** 0.5
    return [v / norm for v in vector]


def random_identity(rng) -> np.ndarray:
    """A random 128-d unit vector: random directions lie ~1.0 apart (cosine), far from anyone else."""
    vector = rng.standard_normal(128)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def vector_at(rng, base, distance: float) -> np.ndarray:
    """A unit vector at exactly this cosine distance from unit `base`, in a random direction."""
    other = rng.standard_normal(len(base))
    other -= (other @ base) * base
    other /= np.linalg.norm(other)
    cos = 1 - distance
    return (cos * base + np.sqrt(1 - cos * cos) * other).astype(np.float32)
