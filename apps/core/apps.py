from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        database = settings.DATABASES["default"]
        if database["ENGINE"] == "mediahub.embedded_db":
            from mediahub import embedded_db

            # Here, in the main thread at startup: a process may first connect from another thread
            # (runserver serves from threads), where no signal handler can be installed.
            embedded_db.attach(database["PGDATA"])
