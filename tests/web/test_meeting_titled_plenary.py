"""A meeting's title is shown in the reader's language only for a federation's plenary, by the flag its
read model carries (`plenary`), never by the title: an assembly's own meeting that a member titled
"plenary" keeps that title."""

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.queries import assembly as q
from factories.records import FOUNDED_AT
from factories.stored import StoredAssembly, act, found_with_officers


@pytest.fixture
def council(db: None) -> StoredAssembly:
    return found_with_officers("Junta Vecinal Plenaria")


def test_an_assembly_meeting_titled_plenary_keeps_its_title(client: Client, council: StoredAssembly) -> None:
    # given a member titled an ordinary meeting of the assembly "plenary"
    meeting = act(council, council.convenor, "meeting.convened", {"title": "plenary", "starts": FOUNDED_AT})
    # then its read model says it is no federation's plenary
    assert q.get_meeting(council.log, meeting).plenary is False
    # and its pages, in Spanish, call it "plenary", not a federation's plenary
    with translation.override("es"):
        urls = [
            reverse("web:meeting", kwargs={"log": council.log, "meeting_id": meeting}),
            reverse("web:meetings", kwargs={"log": council.log}),
        ]
    for url in urls:
        text = html.unescape(client.get(url, headers={"accept-language": "es"}).content.decode())
        assert "Plenaria de la federación" not in text
        assert ">plenary<" in text
