"""Onboarding a council that already exists: a member uploads its register of households (CSV), reads the
preview with what is wrong on each line, and gets one invitation per household and a sheet to print with
a QR code each; every household applies on its own device. Nothing is stored, nothing is written."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.record import get_record_overview
from ayllu.storage import models
from factories.stored import StoredAssembly, found_with_officers, log_in_as

STATIC = Path(__file__).resolve().parents[2] / "src" / "ayllu" / "web" / "static" / "web"
REGISTER = {
    "es": "/es/asamblea/{log}/invitaciones/registro/",
    "en": "/en/assembly/{log}/invitations/register/",
}
FILE = (
    "\ufeffnombre;telefono;correo\r\n"
    "Familia Quispe;+59170000001;quispe@example.org\r\n"
    "\r\n"
    "Familia Quispe;;\r\n"
    "Familia Apaza;;\r\n"
    "Familia Qu\u0456spe;;\r\n"
    ";+59170000009;\r\n"
    "casa-1;;\r\n"
)


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Padron")


@pytest.fixture
def member(assembly: StoredAssembly) -> Client:
    client = Client()
    log_in_as(client, assembly.log, assembly.members[1])
    return client


def upload(client: Client, log: str, data: str, *, lang: str = "en") -> str:
    file = SimpleUploadedFile("padron.csv", data.encode("utf-8"), content_type="text/csv")
    response = client.post(REGISTER[lang].format(log=log), {"do": "preview", "register": file})
    return response.content.decode()


def test_the_preview_says_what_is_wrong_on_each_line(assembly: StoredAssembly, member: Client) -> None:
    # when a member uploads the register
    page = upload(member, assembly.log, FILE)
    # then each refused or flagged line says why, and only good lines can be picked
    assert "3 households can be invited." in page
    assert "1 name looks like another: check it before inviting." in page
    assert "3 lines are left out." in page
    assert "The same name is on an earlier line." in page
    assert "The name is empty." in page
    assert "A household of the assembly already has this name." in page
    assert "Looks like Familia Quispe, on an earlier line: is it the same household?" in page
    picks = re.findall(r'name="pick" value="(\d+)"( checked)?', page)
    # the look-alike is offered unticked, for the member to decide
    assert picks == [("2", " checked"), ("5", " checked"), ("6", "")]


def test_the_preview_speaks_spanish(assembly: StoredAssembly, member: Client) -> None:
    page = upload(member, assembly.log, FILE, lang="es")
    assert "Se pueden invitar 3 familias." in page
    assert "El mismo nombre está en una línea anterior." in page


def test_a_file_that_cannot_be_read_is_a_clear_400(assembly: StoredAssembly, member: Client) -> None:
    file = SimpleUploadedFile("padron.csv", "name\nPérez\n".encode("latin-1"))
    response = member.post(REGISTER["en"].format(log=assembly.log), {"do": "preview", "register": file})
    assert response.status_code == 400
    assert "The file is not in UTF-8" in response.content.decode()
    pasted = member.post(REGISTER["en"].format(log=assembly.log), {"do": "preview", "pasted": "familia\nx\n"})
    assert pasted.status_code == 400
    assert "one of them must be name (or nombre)" in pasted.content.decode()


def test_invitations_and_the_printable_sheet_have_a_link_and_a_qr_code_per_household(
    assembly: StoredAssembly, member: Client
) -> None:
    # given the preview's lines, sent back with the two good households ticked
    size = get_record_overview(assembly.log).size
    rows = {"line": ["2", "5"], "name": ["Familia Quispe", "Familia Apaza"], "phone": ["+59170000001", ""]}
    rows["email"] = ["quispe@example.org", ""]
    # when the member makes the invitations
    response = member.post(
        REGISTER["en"].format(log=assembly.log), {"do": "invite", "pick": ["2", "5"], **rows}
    )
    # then the sheet has one card per household with its QR code (an SVG) and its link
    assert response.status_code == 200
    page = response.content.decode()
    cards = re.findall(r'<li class="invitation-card" data-ayllu-invitation-card>(.*?)</li>', page, re.S)
    assert len(cards) == 2
    for card in cards:
        svg = re.search(r"<svg.*?</svg>", card, re.S)
        assert svg is not None
        ET.fromstring(svg.group(0))  # well-formed
    links = re.findall(r"data-ayllu-share-url>([^<]+)<", page)
    assert len(links) == 2 and len(set(links)) == 2
    # and the household with a phone gets a text-message link, the other none
    assert page.count('href="sms:+59170000001?body=') == 1
    assert page.count('href="mailto:quispe@example.org?body=') == 1
    assert "@media print" in (STATIC / "css" / "register.css").read_text(encoding="utf-8")
    # and each link opens the invitation with the household's name offered for its application
    invitation = Client().get(links[0])
    assert invitation.status_code == 200
    text = invitation.content.decode()
    assert "This invitation is for the household" in text
    assert 'data-ayllu-optional value="Familia Quispe"' in text
    # and nothing was written to the record, and the node keeps nothing of the file
    assert get_record_overview(assembly.log).size == size
    assert "quispe@example.org" not in str(list(models.CalendarLink.objects.values()))


def test_a_tampered_line_is_checked_again(assembly: StoredAssembly, member: Client) -> None:
    # given two lines sent back with the same name (edited after the preview)
    rows = {"line": ["2", "3"], "name": ["Quispe", "Quispe"], "phone": ["", ""], "email": ["", ""]}
    response = member.post(
        REGISTER["en"].format(log=assembly.log), {"do": "invite", "pick": ["2", "3"], **rows}
    )
    # then only one invitation is made
    assert len(re.findall(r"data-ayllu-invitation-card", response.content.decode())) == 1


def test_only_a_member_imports_a_register(assembly: StoredAssembly) -> None:
    response = Client().post(
        REGISTER["en"].format(log=assembly.log), {"do": "preview", "pasted": "name\nX\n"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/assembly/{assembly.log}/login/"


def test_the_invitations_page_links_to_the_import(assembly: StoredAssembly, member: Client) -> None:
    page = member.get(f"/en/assembly/{assembly.log}/invitations/").content.decode()
    assert f'href="/en/assembly/{assembly.log}/invitations/register/"' in page
