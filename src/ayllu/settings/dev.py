"""Development and demo: DEBUG on, SQLite under var/."""

from .base import *  # noqa: F403

DEBUG = True

# `ayllu demo-setup` writes the demo members' keys here (cli/demo_story.py, VISITOR): the demo page
# offers this household's key to every visitor, so anyone can try acting in the demo assembly.
AYLLU_DEMO_VISITOR_KEY_FILE = DATA_DIR / "demo-members" / "elena.key"  # noqa: F405

# The demo's mail: without an SMTP server (AYLLU_EMAIL_HOST), messages are written to files here
# (Django's file backend) and the demo's Inbox page lists them (web/views_demo.py), so a visitor sees
# what members would receive.
AYLLU_DEMO_INBOX_DIR = DATA_DIR / "demo-inbox"  # noqa: F405
if not EMAIL_HOST:  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(AYLLU_DEMO_INBOX_DIR)
