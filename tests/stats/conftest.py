import pytest

from apps.stats.services import jobs


@pytest.fixture(autouse=True)
def fresh_done_counts():
    """The done counts are reused for seconds by a process: each test counts its own rows."""
    jobs.forget_done_counts()
    yield
    jobs.forget_done_counts()
