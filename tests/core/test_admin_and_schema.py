import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

ADMIN_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.mark.django_db
@pytest.mark.parametrize("app_label,model_name", ADMIN_MODELS)
def test_admin_pages_load_for_every_model(client, superuser, app_label, model_name):
    client.force_login(superuser)
    changelist = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": "x"})
    assert changelist.status_code == 200
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name and m._meta.app_label == app_label)
    if admin.site._registry[model].has_add_permission(changelist.wsgi_request):
        assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200


def test_admin_covers_our_models_and_the_task_queue():
    registered = {f"{a}.{m}" for a, m in ADMIN_MODELS}
    assert {"scanning.library", "assets.asset", "accounts.user"} <= registered
    assert {"django_q.ormq", "django_q.failure", "django_q.schedule", "django_q.success"} <= registered


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/assets/" in text and "/api/libraries/" in text and "/api/auth/me" in text


@pytest.mark.django_db
def test_swagger_ui_is_served_from_local_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page
