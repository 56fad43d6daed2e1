"""Sessions read with one raw query and decoded once per stored text (web/sessions.py): the same data as
Django's own store, expiry and signatures still checked, and no reader can change what the next one
gets."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from ayllu.web.sessions import SessionStore, expiry_bound


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
    # when
    loaded = SessionStore(key).load()
    # then
    assert loaded == {}


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 29, 15, 50, 1, 123456, tzinfo=UTC),
        datetime(2026, 11, 29, 15, 50, 1, tzinfo=UTC),  # no microseconds: written without them
        datetime(2026, 11, 29, 11, 50, 1, 5, tzinfo=ZoneInfo("America/La_Paz")),
    ],
)
def test_the_expiry_bound_is_what_django_compares_with(db: None, moment: datetime) -> None:
    # when
    bound = expiry_bound(connection, moment)
    # then
    assert bound == connection.ops.adapt_datetimefield_value(moment)


def test_a_session_expiring_in_a_few_seconds_still_loads(db: None) -> None:
    # given
    key = saved(member="ab12")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=5))
    # when
    loaded = SessionStore(key).load()
    # then
    assert loaded == {"member": "ab12"}
