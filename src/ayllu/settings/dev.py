"""Development and demo: DEBUG on, SQLite under var/."""

from .base import *  # noqa: F403

DEBUG = True
