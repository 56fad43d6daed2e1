"""Federations' members and seats: each rule checked by proof alone, the same on every replica."""

from typing import Any

import pytest

from ayllu.core.assembly.acts import split_body
from ayllu.core.assembly.replay import apply_entry
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import CitationBadEntry, CitationBadProof, MalformedBody
from ayllu.core.federations.credentials import DelegateAccredited
from ayllu.core.federations.seats import seated_delegate, standing_seats
from ayllu.core.ledger.record import seal_entry, sign_act
from factories.assemblies import Assembly, replay_all, tick
from factories.federations import (
    accredit,
    federation_charter,
    found_federation,
    found_home,
    give_federation_cargo,
    seat_content,
)
from factories.keys import keypair, pub

SEATED = "federation.seated"


def _two_homes() -> tuple[Assembly, Assembly, Assembly]:
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    return alto, bajo, found_federation({"ana": alto, "dora": bajo})


def test_founding_makes_the_assemblies_members_and_seats_nobody() -> None:
    # when
    alto, bajo, fed = _two_homes()
    # then
    assert sorted(fed.state.member_assemblies) == sorted((alto.log, bajo.log))
    assert all(m.founding and not m.seats for m in fed.state.member_assemblies.values())


def test_a_federation_founder_must_be_named_with_an_assembly_id() -> None:
    # given a founder whose "household" is a word, not an assembly's log id
    with pytest.raises(Exception) as refused:
        Assembly.found(["ana", "bea"], charter=federation_charter())
    # then
    assert getattr(refused.value, "code", "") == "not_an_assembly_id"


def test_a_delegate_is_seated_by_citing_their_credential_and_every_replica_agrees() -> None:
    # given
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    credential = accredit(alto, delegate, fed.log)
    # when
    fed.act(delegate, SEATED, seat_content(alto, credential))
    # then
    seat = seated_delegate(fed.state, pub(delegate), now=fed.clock)
    assert (
        seat is not None and seat.assembly == alto.log and seat.credential[:2] == (alto.log, credential.seq)
    )
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert [s.key for s in standing_seats(again, alto.log, now=fed.clock)] == [pub(delegate)]


def test_a_credential_needs_the_federation_cargo_at_home() -> None:
    # given
    alto, _, fed = _two_homes()
    holder = give_federation_cargo(alto, fed.log)
    other = next(n for n in ("ana", "bea", "carla") if n != holder)
    # when
    code = alto.rejects(other, "delegate.accredited", {"federation": fed.log, "until": alto.clock + DAY_MS})
    too_long = alto.rejects(
        holder, "delegate.accredited", {"federation": fed.log, "until": alto.clock + 200 * DAY_MS}
    )
    # then
    assert code == too_long == "no_federation_cargo"


def test_a_seat_without_a_credential_is_refused() -> None:
    # given a delegate citing an entry of their assembly that is not a credential, or citing nothing
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    notice = alto.act(delegate, "notice.posted", {"text": "soy delegada"})
    content = seat_content(alto, notice)
    # when
    code = fed.rejects(delegate, SEATED, content)
    uncited = fed.rejects(delegate, SEATED, {**content, "cites": []})
    # then
    assert (code, uncited) == ("not_a_credential", "malformed_body")
    assert seated_delegate(fed.state, pub(delegate), now=fed.clock) is None


def test_a_credential_body_other_than_the_signed_one_is_refused() -> None:
    # given a delegate claiming a longer credential than the one the home entry signs
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    content = seat_content(alto, accredit(alto, delegate, fed.log, days=10))
    content["credential"] = {**content["credential"], "until": alto.clock + 80 * DAY_MS}
    # when / then
    assert fed.rejects(delegate, SEATED, content) == "not_a_credential"


def test_an_appointment_from_another_assemblys_record_is_refused() -> None:
    # given bajo's delegate citing their credential as if it were alto's
    alto, bajo, fed = _two_homes()
    delegate = give_federation_cargo(bajo, fed.log)
    content = seat_content(bajo, accredit(bajo, delegate, fed.log))
    # when
    code = fed.rejects(delegate, SEATED, {**content, "assembly": alto.log})
    # then
    assert code == "credential_other_assembly"


def test_someone_elses_credential_seats_nobody() -> None:
    # given
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    content = seat_content(alto, accredit(alto, delegate, fed.log))
    thief = next(n for n in ("ana", "bea", "carla") if n != delegate)
    # when
    code = fed.rejects(thief, SEATED, content)
    # then
    assert code == "not_your_credential"


def test_a_credential_for_another_federation_is_refused() -> None:
    # given
    alto, bajo, fed = _two_homes()
    other = found_federation({"ana": alto, "dora": bajo}, charter=federation_charter(joining="closed"))
    assert other.log != fed.log
    delegate = give_federation_cargo(alto, other.log)
    content = seat_content(alto, accredit(alto, delegate, other.log))
    # when / then
    assert fed.rejects(delegate, SEATED, content) == "credential_other_federation"


def test_a_forged_citation_is_refused_by_the_rule() -> None:
    # given a proof altered, and a header whose node signature was made up
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    content = seat_content(alto, accredit(alto, delegate, fed.log))
    bad_proof = {**content, "cites": [{**content["cites"][0], "proof": ["00" * 32]}]}
    forged_header = dict(content["cites"][0])
    forged_header["header"] = forged_header["header"].replace('"time":', '"time":1', 1)
    # when / then
    with pytest.raises(CitationBadProof):
        fed.act(delegate, SEATED, bad_proof)
    with pytest.raises(CitationBadEntry):
        fed.act(delegate, SEATED, {**content, "cites": [forged_header]})


def test_an_expired_or_reused_credential_seats_nobody() -> None:
    # given two short credentials, the first of them used
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    first = seat_content(alto, accredit(alto, delegate, fed.log, days=1))
    second = seat_content(alto, accredit(alto, delegate, fed.log, days=1))
    fed.act(delegate, SEATED, first)
    # when
    reused = fed.rejects(delegate, SEATED, first)
    fed.wait(2 * DAY_MS)
    expired = fed.rejects(delegate, SEATED, second)
    # then the seat ended with its credential, by itself
    assert (reused, expired) == ("credential_used", "credential_expired")
    assert seated_delegate(fed.state, pub(delegate), now=fed.clock) is None


def test_a_delegation_is_capped_and_a_new_delegate_names_whom_they_replace() -> None:
    # given two of alto's members each hold a cargo representing it; the charter seats one delegate
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_federation({"ana": alto, "dora": bajo}, charter=federation_charter(delegates_per_assembly=1))
    first, second = (give_federation_cargo(alto, fed.log, cargo=f"delegado-{i}") for i in range(2))
    assert first != second
    seats = {n: seat_content(alto, accredit(alto, n, fed.log)) for n in (first, second)}
    fed.act(first, SEATED, seats[first])
    # when
    full = fed.rejects(second, SEATED, seats[second])
    unknown = fed.rejects(second, SEATED, {**seats[second], "replaces": pub("dora")})
    fed.act(second, SEATED, {**seats[second], "replaces": pub(first)})
    # then
    assert (full, unknown) == ("delegation_full", "unknown_seat")
    assert [s.key for s in standing_seats(fed.state, alto.log, now=fed.clock)] == [pub(second)]
    [replaced] = [s for s in fed.state.member_assemblies[alto.log].seats if s.key == pub(first)]
    assert replaced.ended == fed.clock and replaced.ended_by == fed.entries[-1].seq


def test_an_assembly_joins_by_its_delegates_seat_unless_the_charter_is_closed() -> None:
    # given a third assembly, not among the founders
    alto, bajo, _ = _two_homes()
    cerro = found_home(["gina", "hilda", "ines"])
    for joining, expected in (("open", ""), ("closed", "not_a_member_assembly")):
        fed = found_federation({"ana": alto, "dora": bajo}, charter=federation_charter(joining=joining))
        delegate = give_federation_cargo(cerro, fed.log, cargo=f"delegado-{joining}")
        content = seat_content(cerro, accredit(cerro, delegate, fed.log))
        # when
        code = "" if joining == "open" else fed.rejects(delegate, SEATED, content)
        if joining == "open":
            fed.act(delegate, SEATED, content)
        # then
        assert code == expected
        assert (cerro.log in fed.state.member_assemblies) == (joining == "open")


def test_a_credential_signed_in_act_format_2_is_read_the_same() -> None:
    # given a home device signing the credential as rule data (format 2)
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    body = split_body(DelegateAccredited, {"federation": fed.log, "until": alto.clock + DAY_MS}, vis="public")
    signed = sign_act(keypair(delegate), log=alto.log, type="delegate.accredited", body=body, nonce="f2")
    entry = seal_entry(
        signed, seq=len(alto.entries) + 1, prev=alto.entries[-1].hash, time=alto.clock + 1, node=alto.node
    )

    alto.state = apply_entry(alto.state, entry, body)
    alto.entries.append(entry)
    alto.bodies[body.hash] = body
    # when
    fed.act(delegate, SEATED, seat_content(alto, entry))
    # then
    assert seated_delegate(fed.state, pub(delegate), now=fed.clock) is not None


def test_a_seat_on_an_assemblys_record_is_refused() -> None:
    # given an assembly (not a federation) and a credential naming it
    alto = found_home(["ana", "bea", "carla"])
    plain = found_home(["dora", "eva", "flor"])
    delegate = give_federation_cargo(alto, plain.log)
    content: dict[str, Any] = seat_content(alto, accredit(alto, delegate, plain.log))
    # when / then
    assert plain.rejects(delegate, SEATED, content) == "not_a_federation"


def test_a_charter_amendment_cannot_make_an_assembly_a_federation() -> None:
    # given
    alto = found_home(["ana", "bea", "carla"])
    charter = {**alto.state.rules.data, "federation": {"delegates_per_assembly": 2, "joining": "open"}}
    # when
    code = alto.rejects("ana", "proposal.tabled", {
        "matter": "charter_amendment", "title": "ser federación", "text": "", "effect": {"charter": charter},
    })  # fmt: skip
    # then
    assert code == "invalid_effect"
    tick(alto, days=1)


def test_a_federation_is_not_its_own_member() -> None:
    # given a seat naming the federation itself as the delegate's assembly
    alto, _, fed = _two_homes()
    delegate = give_federation_cargo(alto, fed.log)
    content = seat_content(alto, accredit(alto, delegate, fed.log))
    # when / then
    with pytest.raises(MalformedBody) as refused:
        fed.act(delegate, SEATED, {**content, "assembly": fed.log})
    assert refused.value.detail["reason"] == "own_record"
