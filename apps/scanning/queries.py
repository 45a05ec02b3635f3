"""Read-side querysets shared by the API and the HTML views (counts without N+1 queries)."""

from django.db.models import Count, OuterRef, Q, Subquery

from .models import Library, ScanRun


def libraries_with_counts(libraries):
    last_scan = ScanRun.objects.filter(library=OuterRef("pk")).order_by("-created", "-id")
    # Re-selected by id: visible_to joins the sharing table, which would multiply the counts.
    return (
        Library.objects.filter(pk__in=libraries.values("pk"))
        .select_related("owner")
        .annotate(
            asset_count=Count("assets", filter=Q(assets__deleted_at__isnull=True)),
            missing_count=Count("assets", filter=Q(assets__status="missing")),
            error_count=Count("assets", filter=Q(assets__status="error")),
            last_scan_id=Subquery(last_scan.values("id")[:1]),
            last_scan_state=Subquery(last_scan.values("state")[:1]),
        )
    )
