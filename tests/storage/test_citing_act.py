"""`record.cited`, the first act carrying citations: appended through the real write path, which checks
each citation against this node's copy of the cited record; replayed by every replica by proof alone."""

from typing import Any

import pytest

from ayllu.actions.record import (
    do_import_record,
    do_refresh_checkpoint,
    do_verify_record,
    forget_replayed_state,
)
from ayllu.actions.replication import do_extend_replica
from ayllu.core.errors import CitationBadProof, CitationFork, MalformedBody
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.citations import Citation, build_citation
from ayllu.core.ledger.extend import Refused
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from ayllu.queries.citations import get_citation
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.keys import keypair
from factories.records import MemoryRecord, found_record, sample_record
from factories.stored import StoredAssembly, act, found

CITED = "record.cited"
VISIBLE = frozenset(("public", "members"))


def cite(record: MemoryRecord, seq: int, *, size: int) -> Citation:
    hashes = record.hashes()[:size]
    checkpoint = sign_checkpoint(
        keypair("node-1"), log=record.log, size=size, root=root_of(hashes), time=record.entries[-1].time + 1
    )
    return build_citation(
        record.entries[seq - 1], checkpoint=checkpoint, proof=inclusion_proof(hashes, index=seq - 1)
    )


def cites(*citations: Citation, note: str | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"cites": [c.as_json() for c in citations]}
    if note is not None:
        content["note"] = note
    return content


@pytest.fixture
def home(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found()


@pytest.fixture
def federation(db: None) -> MemoryRecord:
    """Another record, sealed by node-1, held on this node as a verified copy."""
    record = sample_record(5, name="Federación de juntas")
    report = do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[],
        visible=VISIBLE, workers=1,
    )  # fmt: skip
    assert report.ok
    return record


def test_a_member_cites_an_entry_of_a_held_record_and_every_replica_replays_it(
    home: StoredAssembly, federation: MemoryRecord
) -> None:
    # given
    citation = cite(federation, 3, size=5)
    # when
    seq = act(home, home.members[0], CITED, cites(citation, note="La federación lo resolvió"))
    # then
    cited = read_state(home.log, lambda state: dict(state.cited))
    assert cited == {seq: ((federation.log, 3, federation.hashes()[2], "notice.posted"),)}
    report = do_verify_record(home.log, workers=1)
    assert report.ok and report.replayed == report.size


def test_a_forked_citation_is_refused_at_append_with_evidence(
    home: StoredAssembly, federation: MemoryRecord
) -> None:
    # given node-1 sealed another entry 4 on a branch this node never held
    branch = federation.branch(3)
    branch.notice("otra cosa")
    size = models.Entry.objects.filter(record__log=home.log).count()
    # when / then
    with pytest.raises(CitationFork):
        act(home, home.members[0], CITED, cites(cite(branch, 4, size=4)))
    assert models.Entry.objects.filter(record__log=home.log).count() == size
    assert models.Evidence.objects.filter(log=federation.log, kind="fork").count() == 1


def test_a_forged_proof_is_refused_by_the_rule_itself(home: StoredAssembly, federation: MemoryRecord) -> None:
    # given
    forged = cite(federation, 3, size=5).as_json()
    forged["proof"] = ["00" * 32, *forged["proof"][1:]]
    # when / then
    with pytest.raises(CitationBadProof) as refused:
        act(home, home.members[0], CITED, {"cites": [forged]})
    assert refused.value.detail["citation"] == 0


def test_a_record_cannot_cite_itself(home: StoredAssembly) -> None:
    # given this node's own assembly, with a checkpoint (this node seals it)
    do_refresh_checkpoint(home.log)
    own = get_citation(home.log, seq=1)
    # when / then
    with pytest.raises(MalformedBody) as refused:
        act(home, home.members[0], CITED, cites(own))
    assert refused.value.detail["reason"] == "own_record"


def test_a_citation_of_a_record_not_held_is_appended_by_proof_only(home: StoredAssembly) -> None:
    # given a record this node does not hold
    elsewhere = sample_record(4, name="Otra junta")
    # when
    seq = act(home, home.members[0], CITED, cites(cite(elsewhere, 2, size=4)))
    # then
    assert read_state(home.log, lambda state: seq in state.cited)


def test_a_follower_refuses_a_served_entry_citing_a_fork_and_keeps_the_evidence(
    federation: MemoryRecord,
) -> None:
    # given another node's record whose member cited a forked entry of the federation this node holds
    branch = federation.branch(3)
    branch.notice("otra cosa")
    home = found_record(name="Junta vecinal Alto Lima", node="node-2")
    home.add("ana", type=CITED, content=cites(cite(branch, 4, size=4)))
    # when / then
    with pytest.raises(Refused) as refused:
        do_extend_replica(home.log, raws=home.raws(), bodies=dict(home.bodies), visible=VISIBLE)
    assert (refused.value.detail["seq"], refused.value.detail["problem"]) == (2, "citation_fork")
    assert not models.Record.objects.filter(log=home.log).exists()
    assert models.Evidence.objects.filter(log=federation.log, kind="fork").count() == 1


def test_a_follower_stores_a_served_entry_citing_what_it_holds(federation: MemoryRecord) -> None:
    # given
    home = found_record(name="Junta vecinal Alto Lima", node="node-2")
    home.add("ana", type=CITED, content=cites(cite(federation, 5, size=5)))
    # when
    tip = do_extend_replica(home.log, raws=home.raws(), bodies=dict(home.bodies), visible=VISIBLE)
    # then
    assert (tip.size, tip.replayed) == (2, 2)
