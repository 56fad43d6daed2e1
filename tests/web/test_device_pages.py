"""The device and login pages: served in both languages, no inline script, no language leaks."""

import re

import pytest
from django.test import Client

from factories.keys import keypair
from factories.stored import StoredAssembly, found

from .test_translations import phrases, po_entries, visible_text


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    return found("Junta Vecinal Villa Esperanza", members=(keypair(1), keypair(2), keypair(3)))


def pages(log: str, language: str) -> list[str]:
    if language == "es":
        return [f"/es/asamblea/{log}/dispositivo/", f"/es/asamblea/{log}/entrar/"]
    return [f"/en/assembly/{log}/device/", f"/en/assembly/{log}/login/"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_device_pages_load_scripts_only_from_files(
    client: Client, assembly: StoredAssembly, language: str
) -> None:
    for url in pages(assembly.log, language):
        # when
        response = client.get(url)
        # then
        page = response.content.decode()
        assert response.status_code == 200, url
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == [], url
        assert " style=" not in page and "<style" not in page, url
        assert re.findall(r"\son[a-z]+=", page) == [], url
        assert re.findall(r'<script type="module" src="/static/web/js/[a-z-]+\.js"></script>', page), url


def test_spanish_device_pages_show_no_english(client: Client, assembly: StoredAssembly) -> None:
    # given
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    english -= {p for _, strs, _ in po_entries("es") for s in strs for p in phrases(s)}
    for url in pages(assembly.log, "es"):
        # when
        text = visible_text(client.get(url).content.decode(), language="es")
        # then
        assert sorted(p for p in english if p in text) == [], url
        assert "clave" in text


def test_english_device_pages_show_no_spanish(client: Client, assembly: StoredAssembly) -> None:
    # given
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    spanish = {p for _, strs, _ in po_entries("es") for s in strs for p in phrases(s)} - english
    for url in pages(assembly.log, "en"):
        # when
        text = visible_text(client.get(url).content.decode(), language="en")
        # then
        assert sorted(p for p in spanish if p in text) == [], url


def test_device_pages_of_an_unknown_assembly_are_not_found(client: Client, db: None) -> None:
    for url in pages("0" * 64, "es"):
        assert client.get(url).status_code == 404
