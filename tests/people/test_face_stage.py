"""The faces stage on corpus previews: faces stored, searchable by HNSW, user decisions kept."""

import pytest
from django.db import connection
from pgvector.django import CosineDistance

from apps.assets.derivatives import images
from apps.people.models import Face, Person
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages
from tests.corpus import needs_corpus
from tests.factories import AssetFactory
from tests.people.corpus_faces import folder_images, needs_faces_corpus, needs_ml, preview_of

pytestmark = [*needs_corpus, needs_faces_corpus, needs_ml, pytest.mark.django_db]


def asset_with_preview(library, path):
    asset = AssetFactory(library=library, filename=path.name, path=f"faces/{path.name}")
    images.write_image_derivatives(preview_of(path), asset.pk)
    return asset


def test_the_stage_stores_faces_that_a_nearest_neighbour_query_finds_by_identity(library):
    # GIVEN two photos of one person and one photo each of three others
    same = folder_images("deepface_id01")[:2]
    others = [folder_images(name)[0] for name in ("deepface_id02", "deepface_id03", "fr_obama")]
    assets = [asset_with_preview(library, p) for p in same + others]
    # WHEN the faces stage runs
    report = run_stages([a.pk for a in assets], ["faces"])
    # THEN every asset has its face, with a 128-d embedding and a done stage row
    assert report.failed == 0 and report.ran == len(assets)
    assert AssetStage.objects.filter(stage="faces", done_at__isnull=False).count() == len(assets)
    for asset in assets:
        assert Face.objects.filter(asset=asset, embedding__isnull=False).count() >= 1, asset.filename
    # AND the nearest face to the first photo's face, through the HNSW index, is the same person's
    query = Face.objects.filter(asset=assets[0]).order_by("-width").first()
    nearest = (
        Face.objects.exclude(asset=assets[0])
        .order_by(CosineDistance("embedding", query.embedding))
        .values_list("asset_id", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force the index to prove it serves
        sql, params = nearest[:1].query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "face_embedding_hnsw" in plan, plan
        assert nearest.first() == assets[1].pk


def test_re_detection_keeps_what_a_user_decided(library):
    asset = asset_with_preview(library, folder_images("fr_obama")[0])
    run_stages([asset.pk], ["faces"])
    face = Face.objects.filter(asset=asset).order_by("-width").first()
    person = Person.objects.create(name="Barack")
    Face.objects.filter(pk=face.pk).update(person=person, assigned_by=Face.AssignedBy.USER)

    run_stages([asset.pk], ["faces"], force=True)

    redetected = Face.objects.filter(asset=asset).order_by("-width").first()
    assert redetected.pk != face.pk  # the rows were replaced ...
    assert (redetected.person_id, redetected.assigned_by) == (person.pk, Face.AssignedBy.USER)  # ... the decision kept
    assert Face.objects.filter(asset=asset, person=person).count() == 1
    person.refresh_from_db()
    assert person.face_count == 1


def test_no_faces_are_stored_for_photos_without_faces(library):
    assets = [asset_with_preview(library, p) for p in folder_images("_no_faces")[:3]]
    run_stages([a.pk for a in assets], ["faces"])
    assert not Face.objects.filter(asset__in=assets).exists()
    assert AssetStage.objects.filter(stage="faces", asset__in=assets, done_at__isnull=False).count() == 3
