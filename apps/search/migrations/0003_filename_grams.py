"""Filename pieces for substring search (models.AssetFilenameGrams): SQL functions, triggers, backfill.

The pieces are cut in SQL from upper(filename), the same upper() Django's icontains applies on both
sides of its LIKE, so a name the old `UPPER(filename) LIKE UPPER('%q%')` matched always holds every
piece of the query: the index only narrows, the LIKE still decides.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.db import migrations, models

TABLE = "search_assetfilenamegrams"
ASSETS = "assets_asset"
BACKFILL_BATCH = 20_000

FUNCTIONS = """
CREATE FUNCTION search_filename_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(u, i, n)), '{}')
  FROM (SELECT upper(name) AS u) s, generate_series(1, 3) n, generate_series(1, length(u) - n + 1) i
$$;
-- What a substring query must find among them: its trigrams, or the query itself when shorter.
CREATE FUNCTION search_filename_query_grams(query text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(u) < 3 THEN ARRAY[u]
              ELSE (SELECT array_agg(DISTINCT substr(u, i, 3)) FROM generate_series(1, length(u) - 2) i) END
  FROM (SELECT upper(query) AS u) s
$$;
"""
DROP_FUNCTIONS = """
DROP FUNCTION search_filename_query_grams(text);
DROP FUNCTION search_filename_grams(text);
"""

# Statement-level triggers with transition tables: one statement per change whatever its row count
# (a scan's bulk insert of 2,000 assets writes 2,000 rows of pieces in one INSERT).
UPSERT = f"""
  INSERT INTO {TABLE} (asset_id, grams) SELECT id, search_filename_grams(filename) FROM {{rows}}
  ON CONFLICT (asset_id) DO UPDATE SET grams = EXCLUDED.grams;
"""
TRIGGERS = f"""
CREATE FUNCTION search_filename_grams_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {UPSERT.format(rows="new_rows")}
  RETURN NULL;
END $$;
CREATE FUNCTION search_filename_grams_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {UPSERT.format(rows="(SELECT n.id, n.filename FROM new_rows n JOIN old_rows o ON o.id = n.id "
                      "WHERE n.filename IS DISTINCT FROM o.filename OR n.id IS DISTINCT FROM o.id) m")}
  RETURN NULL;
END $$;
CREATE FUNCTION search_filename_grams_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {TABLE} g USING old_rows o WHERE g.asset_id = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER search_filename_grams_inserted AFTER INSERT ON {ASSETS}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_filename_grams_inserted();
CREATE TRIGGER search_filename_grams_updated AFTER UPDATE ON {ASSETS}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_filename_grams_updated();
CREATE TRIGGER search_filename_grams_deleted AFTER DELETE ON {ASSETS}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_filename_grams_deleted();
"""
DROP_TRIGGERS = f"""
DROP TRIGGER search_filename_grams_inserted ON {ASSETS};
DROP TRIGGER search_filename_grams_updated ON {ASSETS};
DROP TRIGGER search_filename_grams_deleted ON {ASSETS};
DROP FUNCTION search_filename_grams_inserted();
DROP FUNCTION search_filename_grams_updated();
DROP FUNCTION search_filename_grams_deleted();
"""


def backfill(apps, schema_editor):
    """The assets that existed before the triggers, in id order, one committed batch at a time (the
    migration is not atomic), so a library of millions neither holds one huge transaction nor
    starts over after an interruption: rows already there are skipped."""
    connection = schema_editor.connection
    last = None
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"""
                WITH batch AS (SELECT id, filename FROM {ASSETS} WHERE %s::uuid IS NULL OR id > %s::uuid
                               ORDER BY id LIMIT {BACKFILL_BATCH}),
                     written AS (INSERT INTO {TABLE} (asset_id, grams)
                                 SELECT id, search_filename_grams(filename) FROM batch
                                 ON CONFLICT (asset_id) DO NOTHING)
                SELECT max(id::text)::uuid FROM batch""", [last, last])
            last = cursor.fetchone()[0]
        if last is None:
            return


class Migration(migrations.Migration):
    atomic = False  # the backfill commits batch by batch

    dependencies = [
        ('assets', '0012_camera_setting_indexes'),
        ('search', '0002_assetembedding'),
    ]

    operations = [
        migrations.CreateModel(
            name='AssetFilenameGrams',
            fields=[
                ('asset', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='filename_grams', serialize=False, to='assets.asset')),
                ('grams', django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), size=None)),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['grams'], name='assetfilenamegrams_grams')],
            },
        ),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        # Triggers before the backfill: an asset written meanwhile gets its row either way.
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
