"""Creating, renaming, merging, recolouring and deleting tags.

A tag's subtree (the tag and every tag of the same owner whose path starts with its path and `/`)
moves with it: renaming `Places/Italy` renames `Places/Italy/Rome` too; deleting a parent deletes
its children, as Lightroom does with keywords.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import BadInput, Conflict
from apps.core.querysets import Action, check_action

from ..models import COLOUR, SEPARATOR, AssetTag, Tag, tag_key
from ..search import reindex_assets
from .names import ancestors, clean_path


def _same_owner(tag: Tag):
    return Tag.objects.filter(owner_id=tag.owner_id) if tag.owner_id else Tag.objects.filter(owner__isnull=True)


def subtree(tag: Tag) -> list[Tag]:
    """The tag and its descendants, parents first."""
    return sorted(_same_owner(tag).under(tag.path), key=lambda t: t.key.count(SEPARATOR))


def _asset_ids(tags) -> list:
    return list(AssetTag.objects.filter(tag__in=tags).values_list("asset_id", flat=True).distinct())


def clean_colour(value: str) -> str:
    if value and not COLOUR.match(value):
        raise BadInput(_("a colour is #rrggbb, e.g. #3b82f6"), field="colour")
    return value.lower()


def ensure_tags(user, paths, colour: str = "") -> list[Tag]:
    """The user's tags at these paths (created, with their parents, when missing), in the given order."""
    wanted = [clean_path(path, field="tags") for path in paths]
    every = {tag_key(p): p for path in wanted for p in [*ancestors(path), path]}
    existing = {t.key: t for t in Tag.objects.filter(owner=user, key__in=list(every))}
    missing = [Tag(owner=user, path=path, key=key, source=Tag.Source.USER,
                   colour=colour if key in {tag_key(w) for w in wanted} else "")
               for key, path in every.items() if key not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)  # a concurrent request may win a row
        existing = {t.key: t for t in Tag.objects.filter(owner=user, key__in=list(every))}
    return list({tag_key(path): existing[tag_key(path)] for path in wanted}.values())


def create_tag(user, path: str, colour: str = "") -> Tag:
    path, colour = clean_path(path), clean_colour(colour)
    if Tag.objects.filter(owner=user, key=tag_key(path)).exists():
        raise Conflict(_("you already have a tag named %(path)s") % {"path": path})
    return ensure_tags(user, [path], colour)[0]


@transaction.atomic
def update_tag(user, tag: Tag, *, path: str | None = None, colour: str | None = None) -> Tag:
    check_action(tag, user, Action.CHANGE)
    if colour is not None:
        tag.colour = clean_colour(colour)
        tag.save(update_fields=["colour"])
    if path is not None:
        rename(tag, clean_path(path))
    return tag


def rename(tag: Tag, new_path: str) -> None:
    """The tag and its subtree move to `new_path`; 409 when a tag of the same owner is already there."""
    old = tag.path
    if tag_key(new_path).startswith(tag.key + SEPARATOR):
        raise BadInput(_("a tag cannot move inside itself"), field="path")
    tags = subtree(tag)
    moved = {t.pk: new_path + t.path[len(old):] for t in tags}
    keys = {tag_key(p) for p in moved.values()}
    taken = _same_owner(tag).filter(key__in=keys).exclude(pk__in=list(moved)).values_list("path", flat=True)
    if taken:
        raise Conflict(_("a tag named %(value)s already exists: merge into it instead") % {"value": taken[0]})
    for t in tags:
        t.path = moved[t.pk]
        t.key = tag_key(t.path)
    Tag.objects.bulk_update(tags, ["path", "key"])
    if tag.owner_id:
        ensure_tags(tag.owner, ancestors(new_path))
    tag.refresh_from_db()
    reindex_assets(_asset_ids(tags))


@transaction.atomic
def merge(user, source: Tag, target: Tag) -> Tag:
    """`source` (and its subtree) into `target`: its photos get the target, its children move under
    it (merged into a child of the same name there), and `source` is gone."""
    check_action(source, user, Action.CHANGE)
    check_action(target, user, Action.CHANGE)
    if source.pk == target.pk:
        raise BadInput(_("a tag cannot merge into itself"), field="into")
    if source.owner_id != target.owner_id:
        raise BadInput(_("both tags must be yours (or both file keywords)"), field="into")
    if target.key.startswith(source.key + SEPARATOR):
        raise BadInput(_("a tag cannot merge into one of its children"), field="into")
    tags = subtree(source)
    affected = _asset_ids(tags)
    there = {t.key: t for t in _same_owner(source).filter(
        key__in=[tag_key(target.path + t.path[len(source.path):]) for t in tags])}
    for tag in tags:
        path = target.path + tag.path[len(source.path):]
        into = there.get(tag_key(path))
        if into is None:
            tag.path, tag.key = path, tag_key(path)
            tag.save(update_fields=["path", "key"])
            continue
        _move_links(tag, into)
        tag.delete()
    reindex_assets(affected)
    target.refresh_from_db()
    return target


def _move_links(source: Tag, target: Tag) -> None:
    links = AssetTag.objects.filter(tag=source).values_list("asset_id", flat=True)
    AssetTag.objects.bulk_create([AssetTag(asset_id=pk, tag=target) for pk in links.iterator()],
                                 ignore_conflicts=True, batch_size=5000)


@transaction.atomic
def delete_tag(user, tag: Tag) -> int:
    """The tag and its children, off every photo; returns how many tags went."""
    check_action(tag, user, Action.DELETE)
    tags = subtree(tag)
    affected = _asset_ids(tags)
    Tag.objects.filter(pk__in=[t.pk for t in tags]).delete()
    reindex_assets(affected)
    return len(tags)


def tags_named(user, paths) -> list[Tag]:
    """The tags the user may use (theirs and the file keywords) at exactly these paths."""
    keys = [tag_key(clean_path(p, field="tags")) for p in paths]
    return list(Tag.objects.usable_by(user).filter(key__in=keys)) if keys else []

