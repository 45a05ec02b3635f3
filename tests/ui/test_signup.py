"""Sign-up from the browser (real Chromium): a superadmin makes an invitation link on the Sign-ups
page, a family member opens it in another browser, makes their account and is logged in at once,
with nothing shared with them."""

import pytest
from django.contrib.auth import get_user_model

from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invitation_link_made_on_the_signups_page_lets_a_family_member_join(
    browser, page, live_server, superuser, password, settings
):
    settings.MEDIAHUB_SIGNUP = "invite"
    log_in(page, live_server, "root", password)
    page.goto(f"{live_server.url}/accounts/signups/")
    page.fill("input[name=note]", "Grandma")
    page.click("form.invite button[type=submit]")
    link = page.locator("code.new-invitation-link").inner_text()
    assert link.startswith(live_server.url)

    guest = browser.new_context().new_page()
    guest.goto(link)
    guest.fill("input[name=username]", "grandma")
    guest.fill("input[name=password1]", "a-long-family-passphrase")
    guest.fill("input[name=password2]", "a-long-family-passphrase")
    guest.click("form button[type=submit]")
    guest.wait_for_url(f"{live_server.url}/")
    assert guest.locator("nav >> text=Photos").count() >= 1
    member = get_user_model().objects.get(username="grandma")
    assert member.is_active and not member.is_staff and not member.libraries.exists()

    guest.goto(link)  # used: the same link makes no second account
    assert guest.locator("text=This invitation link is not valid").count() == 1
    guest.context.close()
