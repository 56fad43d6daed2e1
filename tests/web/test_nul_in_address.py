"""A NUL in an address or its query is refused alike on SQLite and PostgreSQL (which cannot compare a
text holding one, so a record id of `%00` was a server error there while SQLite answered 404)."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "address",
    [
        "/es/asamblea/%00/registro/evidencia/",
        "/en/assembly/%00/lost-device/",
        "/api/assemblies/%00",
        "/fed/%00/checkpoint/",
        "/?q=a%00b",
        "/en/?%00=1",
    ],
)
def test_a_nul_in_the_address_is_a_bad_request_in_words(client: Client, db: None, address: str) -> None:
    # when
    answer = client.get(address, HTTP_ACCEPT_LANGUAGE="es")
    # then
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["detail"]["reason"]) == ("bad_request", "nul_character")
    assert "carácter NUL" in answer.json()["message"] or "NUL character" in answer.json()["message"]
