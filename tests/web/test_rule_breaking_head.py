"""A head this node's own key sealed past the rules (a captured node's database, see tests/factories/
seed.py `forge`): the node's pages and /fed stay up, reading the assembly at the last entry that holds,
and serve the entries as stored, so other replicas can refuse the bad one with evidence."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.queries.replayed import forget_replayed_reads, read_state
from factories.seed import forge
from factories.stored import StoredAssembly


@pytest.mark.parametrize("how", ["non_member", "unknown_type", "future"])
def test_pages_and_fed_read_the_assembly_up_to_the_entry_before_a_rule_breaking_head(
    client: Client, assembly: StoredAssembly, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a members-only entry written past the rules, sealed and checkpointed by this node's key
    forget_replayed_reads()
    forge(assembly.log, how, member=assembly.founder)
    forged = int(capsys.readouterr().out.split()[-1])
    # when the assembly's page, the record's checkpoint and its entries are asked for
    with translation.override("en"):
        page = client.get(reverse("web:assembly", kwargs={"log": assembly.log}))
    checkpoint = client.get(f"/fed/{assembly.log}/checkpoint/")
    entries = client.get(f"/fed/{assembly.log}/entries/", {"from": forged, "to": forged})
    # then every answer holds, the pages read the assembly before the forged entry, and /fed serves it
    assert (page.status_code, checkpoint.status_code, entries.status_code) == (200, 200, 200)
    assert read_state(assembly.log, lambda state: state.size) == forged - 1
    assert f'"seq":{forged}' in entries.content.decode()
    # and the pages say which entry does not hold, and why
    html = page.content.decode()
    assert f"Entry number {forged} of this node" in html and 'id="broken-entry-title"' in html
    # and so do the record's page (not "the record holds") and the header of every answer about it
    with translation.override("en"):
        record = client.get(reverse("web:record", kwargs={"log": assembly.log}))
    assert "breaks the rules" in record.content.decode()
    assert "The record holds on this node" not in record.content.decode()
    assert page["Ayllu-Rules"].startswith(f"broken; seq={forged}; code=")
    assert "Ayllu-Rules" not in checkpoint  # followers check the rules themselves


def test_pages_of_a_record_whose_entries_all_hold_warn_of_nothing(
    client: Client, assembly: StoredAssembly
) -> None:
    # when
    page = client.get(reverse("web:assembly", kwargs={"log": assembly.log}))
    # then
    assert page.status_code == 200 and 'id="broken-entry-title"' not in page.content.decode()
    assert "Ayllu-Rules" not in page
