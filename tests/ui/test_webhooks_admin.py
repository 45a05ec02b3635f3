"""An admin registers a webhook in the Django admin (real Chromium), pings it and reads the delivery
log: the whole flow a person goes through, with a local receiver."""

import pytest

from apps.webhooks import services
from apps.webhooks.models import Delivery, Webhook
from tests.ui.test_shell import log_in
from tests.webhooks.conftest import receiver  # noqa: F401 - the local receiver, shared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_registers_a_hook_pings_it_and_reads_the_answer_in_the_delivery_log(
    page, live_server, admin_user, password, receiver  # noqa: F811 - the imported fixture
):
    log_in(page, live_server, admin_user.username, password)
    page.goto(f"{live_server.url}/admin/webhooks/webhook/add/")
    page.fill("#id_name", "Family NAS")
    page.fill("#id_url", receiver.url)
    page.fill("#id_events", "album.shared,person.named")
    page.click("input[name=_save]")
    page.wait_for_selector("text=Family NAS")
    hook = Webhook.objects.get()
    assert (hook.owner, hook.events) == (admin_user, ["album.shared", "person.named"])

    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "ping")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 ping queued.")
    delivery = Delivery.objects.get(hook=hook)
    services.deliver(delivery.pk)  # what the worker runs

    page.goto(f"{live_server.url}/admin/webhooks/delivery/{delivery.pk}/change/")
    assert page.locator("text=answered 200").count() == 1
    [got] = receiver.received
    assert got.headers["MediaHub-Event"] == "ping"
