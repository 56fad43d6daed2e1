"""Sessions as the node stores them (SESSION_ENGINE: Django's database sessions read through a cache in
the data directory that every worker process shares): expiry and signatures are checked, no reader can
change what the next one gets, and a session ended through one worker is ended for all."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def forget_cached() -> None:
    """Empty the sessions' cache: the next load reads the row (as after the cache lost an entry)."""
    caches[settings.SESSION_CACHE_ALIAS].clear()


def saved(**data: object) -> str:
    session = SessionStore()
    for name, value in data.items():
        session[name] = value
    session.save()
    assert session.session_key is not None
    return session.session_key


def test_a_saved_session_loads_with_its_data(db: None) -> None:
    # given
    key = saved(member="ab12", seen=1.5)
    # when
    loaded = SessionStore(key).load()
    # then
    assert loaded == {"member": "ab12", "seen": 1.5}


def test_changing_a_loaded_session_does_not_change_the_next_load(db: None) -> None:
    # given
    key = saved(member="ab12")
    first = SessionStore(key)
    # when
    first["member"] = "cd34"
    # then
    assert SessionStore(key)["member"] == "ab12"


def test_an_expired_session_loads_empty_and_gets_a_new_key(db: None) -> None:
    # given
    key = saved(member="ab12")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    forget_cached()
    store = SessionStore(key)
    # when
    loaded = store.load()
    # then
    assert loaded == {} and store.session_key is None


def test_a_session_whose_data_was_tampered_with_loads_empty(db: None) -> None:
    # given
    key = saved(member="ab12")
    row = Session.objects.get(session_key=key)
    Session.objects.filter(session_key=key).update(session_data=row.session_data.replace("a", "b", 1) + "x")
    forget_cached()
    # when
    loaded = SessionStore(key).load()
    # then
    assert loaded == {}


def test_a_session_expiring_in_a_few_seconds_still_loads(db: None) -> None:
    # given
    key = saved(member="ab12")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=5))
    forget_cached()
    # when
    loaded = SessionStore(key).load()
    # then
    assert loaded == {"member": "ab12"}


def test_a_session_ended_through_one_worker_is_ended_for_every_worker(db: None) -> None:
    # given: the session loaded by two worker processes (each with its own cache connection)
    key = saved(member="ab12")
    other_worker = caches.create_connection(settings.SESSION_CACHE_ALIAS)
    assert SessionStore(key).load() == {"member": "ab12"}
    # when: logging out on the first
    SessionStore(key).delete()
    # then: the second finds neither the cached session nor its row
    assert other_worker.get(SessionStore(key).cache_key) is None
    assert SessionStore(key).load() == {}
