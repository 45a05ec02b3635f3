"""Passkeys in real Chromium with its virtual WebAuthn authenticator (CDP): add a passkey on the
Passkeys page, log out, and sign in with it alone from the login page."""

import pytest

from apps.accounts.models import Passkey
from tests.factories import PASSWORD
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


def test_a_passkey_added_in_the_profile_signs_in_without_a_password(browser, live_server, user):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})["authenticatorId"]
    log_in(page, live_server, "alice", PASSWORD)

    page.goto(f"{live_server.url}/accounts/passkeys/")
    page.fill(".passkey-add input[name=name]", "laptop")
    page.click("[data-passkey-register]")
    codes = page.locator("#passkey-codes .recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10  # the first second factor: recovery codes, shown once
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]
    page.click("#passkey-codes a")
    assert page.locator("tr[data-passkey] input[name=name]").input_value() == "laptop"

    page.click("text=Log out")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.click("[data-passkey-login]")
    page.wait_for_url(f"{live_server.url}/")

    assert page.locator(".session .who").inner_text() == "alice"
    passkey = Passkey.objects.get(user=user)
    assert passkey.last_used is not None and passkey.name == "laptop"
    assert not errors
    context.close()
