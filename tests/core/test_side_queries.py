"""apps.core.side_queries: reads on a connection of their own outside a transaction, on the caller's
own inside one (where another connection would not see the transaction's writes)."""

import pytest
from django.db import connection

from apps.core import side_queries
from tests.factories import UserFactory

BACKEND = ("SELECT pg_backend_pid()", [])


def backend_and_users(compiled_count):
    [(pid,)] = side_queries.rows(*BACKEND)
    [(users,)] = side_queries.rows(*compiled_count)
    return pid, users


def count_users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.values_list("pk").query.sql_with_params()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_read_runs_on_another_connection_and_its_answer_comes_back():
    UserFactory()
    sql, params = count_users()
    count = (f"SELECT count(*) FROM ({sql}) counted", params)
    [(own_pid,)] = side_queries.rows(*BACKEND)

    pid, users = side_queries.alongside(backend_and_users, count).result()

    assert pid != own_pid and users == 1
    side_queries.close_connections()
    assert not side_queries._opened
    [(alive,)] = side_queries.rows("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
    assert alive == 0, "closed: nothing is left open on the test database"


@pytest.mark.django_db
def test_inside_a_transaction_the_read_runs_here_and_sees_its_uncommitted_rows():
    UserFactory()  # not committed: the test's transaction is rolled back at its end
    sql, params = count_users()
    [(own_pid,)] = side_queries.rows(*BACKEND)

    pid, users = side_queries.alongside(backend_and_users, (f"SELECT count(*) FROM ({sql}) counted", params)).result()

    assert connection.in_atomic_block and pid == own_pid and users == 1


@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_read_is_raised_by_result():
    future = side_queries.alongside(side_queries.rows, "SELECT no_such_column FROM auth_user", [])
    with pytest.raises(Exception, match="no_such_column"):
        future.result()
