"""The record page says how far the node's last verification replayed the assembly's rules."""

from django.test import Client

from ayllu.actions.record import do_verify_record
from factories.stored import StoredAssembly


def test_the_record_page_says_rules_were_checked_for_every_entry(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    do_verify_record(assembly.log, workers=1)
    # when
    english = client.get(f"/en/assembly/{assembly.log}/record/").content.decode()
    spanish = client.get(f"/es/asamblea/{assembly.log}/registro/").content.decode()
    # then
    assert "Rules checked for 4 of 4 entries." in english
    assert "Reglas comprobadas en 4 de 4 entradas." in spanish
