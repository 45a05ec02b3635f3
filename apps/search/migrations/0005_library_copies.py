"""Search documents and image embeddings carry a copy of their asset's library.

Why: a search confined to one library (10% of 1M assets in bench_hybrid.py) read thousands of word
matches or HNSW neighbours and joined each one to its asset only to drop the nine in ten of another
library: 7,000 asset probes (14 ms) on the words side, 2,000 (8 ms) on the meaning side. With the
copy, those rows are dropped where they are read, and only the survivors are joined.

Kept by triggers, so no writer has to remember it: a row inserted or updated takes its asset's
library (one primary-key probe), and an asset that changes library (none does today) takes its rows
along; the `WHEN` keeps every other asset update free.

The backfill rewrites both tables once (see BACKFILL).
"""

from django.db import migrations, models

LIBRARY_OF = """
CREATE FUNCTION search_library_of(asset uuid) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT library_id FROM assets_asset WHERE id = asset
$$;
"""

# One rewrite of each table: a fresh heap and freshly built indexes. An UPDATE of every row would
# leave both tables and their indexes twice their size. The indexes are built in memory where they
# fit (~2.7 kB of HNSW graph a vector; up to 1 GB here): the HNSW graph many times faster than on
# disk, and a GIN index built in 64 MB, in pieces, read the words side's bitmap of bench_hybrid.py
# in 11 ms instead of 8.
BACKFILL = """
SELECT set_config('maintenance_work_mem',
                  least(greatest((SELECT count(*) FROM search_assetsearch) * 3, 65536), 1048576) || 'kB', true);
ALTER TABLE search_assetsearch ALTER COLUMN library_id TYPE bigint USING search_library_of(asset_id);
ALTER TABLE search_assetembedding ALTER COLUMN library_id TYPE bigint USING search_library_of(asset_id);
"""

COPY = """
CREATE FUNCTION search_copy_asset_library() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.library_id := search_library_of(NEW.asset_id);
    RETURN NEW;
END $$;
CREATE TRIGGER search_document_library BEFORE INSERT OR UPDATE ON search_assetsearch
    FOR EACH ROW EXECUTE FUNCTION search_copy_asset_library();
CREATE TRIGGER search_embedding_library BEFORE INSERT OR UPDATE ON search_assetembedding
    FOR EACH ROW EXECUTE FUNCTION search_copy_asset_library();

CREATE FUNCTION search_follow_asset_library() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_assetsearch SET library_id = NEW.library_id WHERE asset_id = NEW.id;
    UPDATE search_assetembedding SET library_id = NEW.library_id WHERE asset_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER search_follow_asset_library AFTER UPDATE OF library_id ON assets_asset
    FOR EACH ROW WHEN (OLD.library_id IS DISTINCT FROM NEW.library_id)
    EXECUTE FUNCTION search_follow_asset_library();
"""

DROP = """
DROP TRIGGER IF EXISTS search_follow_asset_library ON assets_asset;
DROP FUNCTION IF EXISTS search_follow_asset_library();
DROP TRIGGER IF EXISTS search_embedding_library ON search_assetembedding;
DROP TRIGGER IF EXISTS search_document_library ON search_assetsearch;
DROP FUNCTION IF EXISTS search_copy_asset_library();
DROP FUNCTION IF EXISTS search_library_of(uuid);
"""


def library_copy():
    return models.BigIntegerField(editable=False, null=True)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_assettext")]

    operations = [
        migrations.AddField(model_name="assetsearch", name="library_id", field=library_copy()),
        migrations.AddField(model_name="assetembedding", name="library_id", field=library_copy()),
        migrations.RunSQL(LIBRARY_OF + BACKFILL + COPY, DROP),
    ]
