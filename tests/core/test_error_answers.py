"""How errors are answered. Service errors (apps/core/errors.py) by the API's exception handler;
and no API route answers an HTML error page: errors outside DRF's views (a middleware, an unknown
path, the browsable API's login form) answer JSON under /api/, pages elsewhere, and a database that
is away answers 503 with Retry-After wherever it is met. The real outage is in test_database_faults."""

import logging

import pytest
from django.db import OperationalError
from django.test import Client

from apps.core.api.exceptions import exception_handler
from apps.core.errors import BadInput, Conflict, Unavailable


def test_bad_input_lists_every_message_of_every_field_it_names():
    response = exception_handler(BadInput(errors={"q": ["too long", "no letters"], "year": "not a year"}), {})
    assert response.status_code == 400
    assert response.data == {"q": ["too long", "no letters"], "year": ["not a year"]}


def test_bad_input_naming_one_field_answers_under_that_field():
    response = exception_handler(BadInput("unknown: vibes", field="dimension"), {})
    assert response.status_code == 400 and response.data == {"dimension": ["unknown: vibes"]}


def test_conflict_and_unavailable_answer_their_status_with_the_reason():
    conflict = exception_handler(Conflict("the last superadmin"), {})
    assert conflict.status_code == 409 and conflict.data == {"detail": "the last superadmin"}
    unavailable = exception_handler(Unavailable("no CLIP model", retry_after=30), {})
    assert unavailable.status_code == 503 and unavailable.data == {"detail": "no CLIP model"}
    assert unavailable["Retry-After"] == "30"
    assert not exception_handler(Unavailable("no CLIP model"), {}).has_header("Retry-After")


def test_a_database_error_in_an_api_view_answers_503_with_retry_after():
    response = exception_handler(OperationalError("server closed the connection unexpectedly"), {})
    assert response.status_code == 503 and response.data == {"detail": "database unavailable"}
    assert int(response["Retry-After"]) > 0


class RaisingMiddleware:
    """Raises what the request's X-Raise header names, from a middleware: past every view handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = request.headers.get("X-Raise")
        if kind == "database":
            raise OperationalError('connection to server on socket "/nowhere/.s.PGSQL.5432" failed')
        if kind == "bug":
            raise ZeroDivisionError("a bug in a middleware")
        return self.get_response(request)


@pytest.fixture
def raising(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.RaisingMiddleware"]
    return Client(raise_request_exception=False)


def test_an_unknown_api_path_answers_json_404():
    response = Client().get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unexpected_error_in_a_middleware_answers_json_500_with_an_id_that_is_in_the_log(raising, caplog):
    with caplog.at_level(logging.ERROR, logger="mediahub.errors"):
        response = raising.get("/api/", HTTP_X_RAISE="bug")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    error_id = response.json()["error_id"]
    assert len(error_id) == 12
    assert any(error_id in record.getMessage() and "ZeroDivisionError" in record.getMessage()
               for record in caplog.records)


def test_an_unexpected_error_in_a_middleware_answers_a_page_with_its_id_outside_the_api(raising, caplog):
    with caplog.at_level(logging.ERROR, logger="mediahub.errors"):
        response = raising.get("/", HTTP_X_RAISE="bug")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    logged = next(record.getMessage() for record in caplog.records if record.name == "mediahub.errors")
    error_id = logged.split()[2]
    assert error_id.encode() in response.content


def test_a_database_error_in_a_middleware_answers_json_503_with_retry_after_on_the_api(raising):
    response = raising.get("/api/libraries/", HTTP_X_RAISE="database")
    assert response.status_code == 503
    assert response.json() == {"detail": "database unavailable"}
    assert int(response["Retry-After"]) > 0


def test_a_database_error_in_a_middleware_answers_the_friendly_page_elsewhere(raising):
    response = raising.get("/", HTTP_X_RAISE="database")
    assert response.status_code == 503
    assert b"MediaHub is restarting its database" in response.content
    assert b'http-equiv="refresh"' in response.content
    assert int(response["Retry-After"]) > 0
    fragment = raising.get("/", HTTP_X_RAISE="database", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 503 and b"<html" not in fragment.content


def test_a_csrf_failure_under_the_api_answers_json():
    response = Client(enforce_csrf_checks=True).post("/api/auth/browsable/login/", {"username": "x"})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
