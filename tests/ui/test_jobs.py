"""The Jobs page in headless Chromium, in German, at desktop and phone widths: failed file operations
and face jobs are named by their kind, a phone's counts are labelled in German, and it all fits."""

import pytest
from django.utils import timezone

from apps.people.models import FaceJob
from apps.scanning.models import FileOperation
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 1440, "height": 900}, {"width": 390, "height": 844}]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_failures_are_named_in_the_readers_language_and_fit(browser, live_server, superuser, password, library,
                                                            viewport):
    FileOperation.objects.create(library=library, kind="move", state="failed", finished=timezone.now(),
                                 error="1 step(s) could not be done; the first: a.jpg: 'a.jpg' already exists there")
    job = FaceJob.objects.create(kind=FaceJob.Kind.RECLUSTER, state=FaceJob.State.FAILED, error="model missing")
    context = browser.new_context(viewport=viewport, locale="de-DE")
    page = context.new_page()
    log_in(page, live_server, "root", password)
    page.goto(f"{live_server.url}/jobs/")
    for kind in ("file_operations", "face_jobs"):
        page.locator(f'[data-kind="{kind}"] + tr.failures summary').click()
    failures = page.locator("tr.failures").all_inner_texts()
    assert any(f"Verschieben · {library.name}" in text for text in failures), failures
    assert any(f"Neu-Gruppierung der Gesichter #{job.pk}" in text for text in failures), failures
    if viewport["width"] < 600:  # the table's head is hidden: each count says what it is
        label = page.evaluate("""getComputedStyle(document.querySelector('[data-kind="face_jobs"] [data-count="failed"]'),
                                 '::before').content""")
        assert label == '"Fehlgeschlagen: "'
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()
