"""/metrics: Prometheus text for a token holder or an allowed address, refused to everyone else."""

import pytest
from django.test import Client

from apps.assets.models import Asset
from apps.stats.metrics import record_upload
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def scrape(remote="127.0.0.1", **headers):
    return Client(REMOTE_ADDR=remote).get("/metrics", **headers)


def value(text: str, line_start: str) -> float:
    (line,) = [line for line in text.splitlines() if line.startswith(line_start + " ")]
    return float(line.rsplit(" ", 1)[1])


def test_a_local_scrape_reads_requests_database_and_mediahub_gauges(library):
    AssetFactory.create_batch(2, library=library)
    AssetFactory(library=library, status=Asset.Status.PENDING, kind=Asset.Kind.VIDEO)
    scrape()  # one request counted before the next scrape

    response = scrape()

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert value(text, 'mediahub_assets{kind="photo",status="ready"}') == 2
    assert value(text, 'mediahub_assets{kind="video",status="pending"}') == 1
    assert 'mediahub_queue_waiting{queue="ml"}' in text
    assert 'mediahub_jobs{kind="thumbnails",state="done"}' in text
    assert "mediahub_scan_files_per_second" in text
    assert "django_http_requests_total_by_method_total" in text
    assert value(text, 'django_db_execute_total{alias="default",vendor="postgresql"}') > 0


def test_upload_bytes_are_counted_by_record_upload():
    before = value(scrape().content.decode(), "mediahub_upload_bytes_total")
    record_upload(1500, result="created")
    record_upload(500, result="")
    text = scrape().content.decode()
    assert value(text, "mediahub_upload_bytes_total") == before + 2000
    assert 'mediahub_uploads_total{result="created"}' in text


def test_other_addresses_are_refused_and_proxied_requests_are_not_local(settings):
    assert scrape(remote="192.0.2.7").status_code == 403
    # Behind a proxy on this host every request comes from 127.0.0.1: the header gives it away.
    assert scrape(HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    settings.MEDIAHUB_METRICS_ALLOW = ["10.0.0.0/8", "not-an-address"]
    assert scrape(remote="10.1.2.3").status_code == 200
    assert scrape(remote="127.0.0.1").status_code == 403


def test_a_configured_token_lets_a_scraper_in_from_anywhere(settings):
    settings.MEDIAHUB_METRICS_TOKEN = "s3cret-token"
    assert scrape(remote="192.0.2.7", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    wrong = scrape(remote="192.0.2.7", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")
    assert scrape(remote="192.0.2.7").status_code == 401
    assert scrape(remote="127.0.0.1").status_code == 200  # the allowed addresses still are
