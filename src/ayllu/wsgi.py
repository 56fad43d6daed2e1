"""WSGI entry point, served by granian (`ayllu serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
application = get_wsgi_application()
