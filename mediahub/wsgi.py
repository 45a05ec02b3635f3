import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediahub.settings")
application = get_wsgi_application()

from apps.core.startup import tune_garbage_collection  # noqa: E402 - needs Django set up

tune_garbage_collection()
