"""Service errors (apps/core/errors.py) answered by the API's exception handler."""

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
