import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediahub.settings")
application = get_asgi_application()

from apps.core.startup import tune_garbage_collection  # noqa: E402 - needs Django set up

tune_garbage_collection()
