import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediahub.settings")
application = get_wsgi_application()

from apps.core.startup import freeze_long_lived_objects  # noqa: E402 - needs Django set up

freeze_long_lived_objects()
