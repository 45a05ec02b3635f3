from django.db import migrations
from pgvector.django import VectorExtension


class Migration(migrations.Migration):
    """pgvector, for face and CLIP embeddings.

    The embedded server ships only plpgsql and vector, so search must not rely
    on contrib extensions (unaccent, pg_trgm): text is folded in Python instead.
    """

    initial = True
    dependencies = []
    operations = [VectorExtension()]
