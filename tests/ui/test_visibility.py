"""Two people on one MediaHub: each sees their own library and the shared one in Photos, never the other's."""

import pytest

from tests.factories import PASSWORD, AssetFactory, LibraryFactory, UserFactory
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shown_assets(browser, live_server, username) -> set[str]:
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, username, PASSWORD)
    page.wait_for_selector("[data-asset]")
    shown = set(page.eval_on_selector_all("[data-asset]", "tiles => tiles.map(t => t.dataset.asset)"))
    context.close()
    return shown


def test_each_user_sees_own_and_shared_libraries_only(browser, live_server):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    alices = AssetFactory.create_batch(2, library=LibraryFactory(owner=alice, name="Alice's phone"))
    bobs = AssetFactory.create_batch(2, library=LibraryFactory(owner=bob, name="Bob's camera"))
    family = LibraryFactory(owner=alice, name="Family")
    family.shared_with.add(bob)
    everyone = LibraryFactory(owner=UserFactory(username="carol"), name="Holidays", shared_with_all=True)
    shared = AssetFactory.create_batch(2, library=family) + AssetFactory.create_batch(1, library=everyone)
    ids = lambda assets: {str(a.id) for a in assets}  # noqa: E731

    assert shown_assets(browser, live_server, "alice") == ids(alices + shared)
    assert shown_assets(browser, live_server, "bob") == ids(bobs + shared)
