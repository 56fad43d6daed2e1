"""A federation's plenary that never had a chair: its minutes page and its minute book show no empty
chair line (no stray key, no "no longer a member") but that nobody chaired it."""

import html
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ayllu.actions.record import forget_replayed_state
from ayllu.minute_book import make_minute_book
from ayllu.queries.assembly import get_meeting_minutes
from factories.federations import petition_content
from factories.federations_stored import stored_act
from factories.scenes import Clock

from .test_federation_plenary_pages import CITED, PlenaryScene, _scene


@pytest.fixture
def scene(db: None, monkeypatch: pytest.MonkeyPatch) -> PlenaryScene:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return _scene(fake)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_the_minutes_of_a_plenary_without_chair_say_nobody_chaired_it(scene: PlenaryScene) -> None:
    # given the plenary convened by the second assembly's cited decision, and nobody took its chair
    backing = scene.homes[1].entries[-1]
    scene.meeting = stored_act(scene.log, "lola", CITED, petition_content(scene.homes[1], backing))
    assert get_meeting_minutes(scene.log, scene.meeting).chair == ""
    with translation.override("es"):
        url = reverse("web:minutes", kwargs={"log": scene.log, "meeting_id": scene.meeting})
        page = html.unescape(Client().get(url).content.decode())
    # then the chair's row says there was none, with no empty key
    row = page.split("<dt>Preside</dt>", 1)[1].split("</div>", 1)[0]
    assert row == "<dd>sin presidencia · convocada por petición</dd>"
    # and so does the minute book
    pdf = _text(make_minute_book(scene.log, language="es", members=False, address="https://n.example"))
    assert "Preside sin presidencia · convocada por petición" in pdf
    assert "ya no es miembro" not in pdf
