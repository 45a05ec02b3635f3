"""Totals and storage: per kind, per library (originals and derivatives) and per file type."""

from collections import defaultdict

from apps.scanning.models import Library

from . import counts

SHARED_NAME = "Shared with you"


def overview(user, kind: str | None = None) -> dict:
    kind = counts.clean_kind(kind)
    found = counts.rows(user, ["total", "type"], kind=kind, by_library=True)
    totals = [row for row in found if row.dim == "total"]
    return {
        "total": _sums(totals),
        "kinds": _grouped(totals, lambda row: row.kind, "kind"),
        "libraries": _libraries(totals),
        "file_types": [
            {"mime": item["mime"], "count": item["count"], "bytes": item["bytes"]}
            for item in _grouped([row for row in found if row.dim == "type"], lambda row: row.key, "mime")
        ],
    }


def _sums(found) -> dict:
    return {
        "count": sum(row.count for row in found),
        "bytes": sum(row.bytes for row in found),
        "derivative_bytes": sum(row.derivative_bytes for row in found),
    }


def _grouped(found, by, name: str) -> list[dict]:
    """One entry per value of `by`, most assets first."""
    groups = defaultdict(list)
    for row in found:
        groups[by(row)].append(row)
    items = [{name: value, **_sums(rows)} for value, rows in groups.items()]
    items = [item for item in items if item["count"]]
    return sorted(items, key=lambda item: (-item["count"], str(item[name])))


def _libraries(totals) -> list[dict]:
    """Each visible library with assets, by name; what albums share from other libraries last, as
    one entry without an id (the user may not learn those libraries' names)."""
    by_library = {item["library"]: item for item in _grouped(totals, lambda row: row.library, "library")}
    names = dict(Library.objects.filter(pk__in=[pk for pk in by_library if pk]).values_list("pk", "name"))
    listed = [{"id": pk, "name": names[pk], **_counted(by_library[pk])} for pk in sorted(names, key=names.get)]
    if counts.SHARED in by_library:
        listed.append({"id": None, "name": SHARED_NAME, **_counted(by_library[counts.SHARED])})
    return listed


def _counted(item: dict) -> dict:
    return {"count": item["count"], "bytes": item["bytes"], "derivative_bytes": item["derivative_bytes"]}
