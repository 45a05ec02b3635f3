"""Album items follow their assets, and albums follow their items, in the database.

Why triggers: assets change capture time and trash state through paths that send no signal
(queryset `.update()` in the duplicate review, scans writing metadata, a future trash), and an
album's count and date range must follow all of them. Costs, by design:

- an asset update whose capture time, file time and trash state are unchanged does not fire
  (`WHEN`); one that changes them updates that asset's item rows through the index on asset_id;
- item inserts, deletes and updates fire once per statement (transition tables), so adding
  10,000 items or renumbering an album updates each album row once; a reorder (position only)
  changes no count and touches no album row;
- the date range is min/max over the partial (album, taken_at) index: two index probes.
"""

from django.db import migrations

FILL_ITEM = """
CREATE FUNCTION albums_fill_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT COALESCE(a.taken_at, a.mtime, a.created), a.deleted_at IS NOT NULL
      INTO NEW.taken_at, NEW.trashed
      FROM assets_asset a WHERE a.id = NEW.asset_id;
    RETURN NEW;
END $$;
CREATE TRIGGER albums_fill_item BEFORE INSERT ON albums_albumitem
    FOR EACH ROW WHEN (NEW.taken_at IS NULL) EXECUTE FUNCTION albums_fill_item();
"""

FOLLOW_ASSET = """
CREATE FUNCTION albums_follow_asset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE albums_albumitem
       SET taken_at = COALESCE(NEW.taken_at, NEW.mtime, NEW.created), trashed = NEW.deleted_at IS NOT NULL
     WHERE asset_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER albums_follow_asset AFTER UPDATE OF taken_at, mtime, deleted_at ON assets_asset
    FOR EACH ROW WHEN (OLD.taken_at IS DISTINCT FROM NEW.taken_at
                       OR OLD.mtime IS DISTINCT FROM NEW.mtime
                       OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION albums_follow_asset();
"""

# Each branch sums, per album, the change in live (not trashed) items of the rows the statement
# touched; albums_apply_changes writes them with the new date range.
ALBUM_STATS = """
CREATE FUNCTION albums_apply_changes(ids bigint[], deltas bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE albums_album a
       SET item_count = a.item_count + c.delta,
           start_at = (SELECT min(i.taken_at) FROM albums_albumitem i
                        WHERE i.album_id = a.id AND NOT i.trashed),
           end_at = (SELECT max(i.taken_at) FROM albums_albumitem i
                      WHERE i.album_id = a.id AND NOT i.trashed)
      FROM unnest(ids, deltas) AS c(album_id, delta)
     WHERE a.id = c.album_id;
$$;
CREATE FUNCTION albums_item_stats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    deltas bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(album_id), array_agg(delta) INTO ids, deltas FROM (
            SELECT album_id, count(*) FILTER (WHERE NOT trashed) AS delta
              FROM new_items GROUP BY album_id) c;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(album_id), array_agg(delta) INTO ids, deltas FROM (
            SELECT album_id, -count(*) FILTER (WHERE NOT trashed) AS delta
              FROM old_items GROUP BY album_id) c;
    ELSE
        SELECT array_agg(album_id), array_agg(delta) INTO ids, deltas FROM (
            SELECT n.album_id, sum((NOT n.trashed)::int - (NOT o.trashed)::int) AS delta
              FROM new_items n JOIN old_items o ON o.id = n.id
             WHERE n.trashed <> o.trashed OR n.taken_at IS DISTINCT FROM o.taken_at
             GROUP BY n.album_id) c;
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM albums_apply_changes(ids, deltas);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER albums_items_inserted AFTER INSERT ON albums_albumitem
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION albums_item_stats();
CREATE TRIGGER albums_items_deleted AFTER DELETE ON albums_albumitem
    REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION albums_item_stats();
CREATE TRIGGER albums_items_updated AFTER UPDATE ON albums_albumitem
    REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION albums_item_stats();
"""

DROP = """
DROP TRIGGER IF EXISTS albums_items_updated ON albums_albumitem;
DROP TRIGGER IF EXISTS albums_items_deleted ON albums_albumitem;
DROP TRIGGER IF EXISTS albums_items_inserted ON albums_albumitem;
DROP FUNCTION IF EXISTS albums_item_stats();
DROP FUNCTION IF EXISTS albums_apply_changes(bigint[], bigint[]);
DROP TRIGGER IF EXISTS albums_follow_asset ON assets_asset;
DROP FUNCTION IF EXISTS albums_follow_asset();
DROP TRIGGER IF EXISTS albums_fill_item ON albums_albumitem;
DROP FUNCTION IF EXISTS albums_fill_item();
"""


class Migration(migrations.Migration):
    dependencies = [("albums", "0001_initial")]

    operations = [migrations.RunSQL(FILL_ITEM + FOLLOW_ASSET + ALBUM_STATS, DROP)]
