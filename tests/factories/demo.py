"""The demo council's story (`cli.demo_story`), written once for a test file's tests: a year of meetings
and decisions under every method, through the real write path, on a fixed clock (so its answers are the
same bytes on every run)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ayllu.actions.record import forget_replayed_state
from ayllu.cli.demo_story import EVERYONE, Story, write_story

from .keys import keypair
from .stored import empty_database

STORY_NOW = 1_796_000_000_000  # 2026-11-29


@contextmanager
def story_written(django_db_blocker: Any) -> Iterator[Story]:
    """Write the story outside any test's transaction (the costliest scene of the fast tests); empty the
    database after the file's tests, as each test's rollback leaves it."""
    with django_db_blocker.unblock():
        try:
            yield write_story({name: keypair(name, family="demo") for name in EVERYONE}, now=STORY_NOW)
        finally:
            forget_replayed_state()
            empty_database()
