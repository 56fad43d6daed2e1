"""Settings for bench/web.py only: the node's dev settings with a URLconf that adds a minimal view."""

from ayllu.settings.dev import *  # noqa: F403

ROOT_URLCONF = "web_bench_urls"
DEBUG = False
