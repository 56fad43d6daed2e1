"""Federations in memory: home assemblies, a federation whose founders are their delegates, credentials.

homes = [Assembly.found(["ana", "bea", "carla"]), Assembly.found(["dora", "eva", "flor"])]
fed = found_federation({"ana": homes[0], "dora": homes[1]})
delegate = give_federation_cargo(homes[0], fed.log)          # a member of homes[0] holds the cargo
entry = homes[0].act(delegate, "delegate.accredited", {"federation": fed.log, "until": ...})
fed.act(delegate, "federation.seated", seat_content(homes[0], entry))
"""

from typing import Any

from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.cargos.powers import office_in, represent_in
from ayllu.core.charter.founding import found_assembly
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.petitions import petition_question, petition_target
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.citations import Citation, build_citation
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from ayllu.core.ledger.record import Entry

from .assemblies import BY_KEY, T0, Assembly, asm_names, create_cargo, decide, holders, name_of
from .charters import cargo_charter, quick_charter
from .keys import keypair

FEDERATION = {"delegates_per_assembly": 2, "joining": "open"}
# The act kinds of federations (core/federations/): each needs a federation and a home record, so the
# walks of every act through the API and the CLI leave them to tests/api/test_federation*_api.py and
# tests/cli/test_federation*_cli.py.
FEDERATION_TYPES = frozenset(
    name for name, kind in ACT_KINDS.items() if kind.__module__.startswith("ayllu.core.federations.")
)


def federation_charter(**federation: Any) -> dict[str, Any]:
    """The quick charter of a federation (`federation` changes its block)."""
    return quick_charter(federation={**FEDERATION, **federation})


def found_home(founders: list[str], *, node: Keypair | None = None) -> Assembly:
    """A home assembly whose decisions pass by majority, with 90-day cargo terms (sealed by `node`: this
    node's key, for a home record a test then writes to here)."""
    return Assembly.found(founders, charter=cargo_charter(), node=node)


def found_federation(
    delegates: dict[str, Assembly], *, charter: dict[str, Any] | None = None, node: str = "fed-node"
) -> Assembly:
    """A federation founded by `delegates` (test name -> their home assembly)."""
    entry, body = found_assembly(
        [(keypair(name), home.log) for name, home in delegates.items()],
        name="Federación de juntas vecinales",
        founded_at=T0,
        charter=federation_charter() if charter is None else charter,
        node=keypair(node),
    )
    fed = Assembly(log=entry.log, node=keypair(node), state=initial_state(entry.log), clock=T0)
    fed.state = apply_entry(fed.state, entry, body)
    fed.entries.append(entry)
    fed.bodies[body.hash] = body
    return fed


def give_federation_cargo(home: Assembly, federation: str, *, cargo: str = "delegado") -> str:
    """Create a cargo representing `home` in `federation`; return who holds it by turn."""
    create_cargo(home, cargo, powers=[represent_in(federation)], term_days=90)
    return holders(home, cargo)[0]


def cite(home: Assembly, entry: Entry, *, size: int | None = None) -> Citation:
    """A citation of `entry`, with a checkpoint of `home` at `size` (its head) signed by its node."""
    entries = home.entries[: size or len(home.entries)]
    hashes = [e.hash for e in entries]
    checkpoint = sign_checkpoint(
        home.node, log=home.log, size=len(hashes), root=root_of(hashes), time=entries[-1].time + 1
    )
    return build_citation(entry, checkpoint=checkpoint, proof=inclusion_proof(hashes, index=entry.seq - 1))


def accredit(home: Assembly, delegate: str, federation: str, *, days: int = 60) -> Entry:
    """`delegate` issues their credential for `federation`, ending `days` from now."""
    return home.act(
        delegate, "delegate.accredited", {"federation": federation, "until": home.clock + days * DAY_MS}
    )


def seat_content(home: Assembly, credential: Entry, *, replaces: str | None = None) -> dict[str, Any]:
    """The body of `federation.seated` citing `credential` of `home`."""
    content: dict[str, Any] = {
        "assembly": home.log,
        "cites": [cite(home, credential).as_json()],
        "credential": home.bodies[credential.act.body].content(),
    }
    if replaces is not None:
        content["replaces"] = keypair(replaces).public
    return content


# --- offices by turn and overflow petitions (core/federations/offices.py, petitions.py) ---------------

OFFICES = [
    {"office": "convenor", "term_days": 30, "burden": 2},
    {"office": "spokesperson", "term_days": 30, "burden": 1},
]


def office_charter(**federation: Any) -> dict[str, Any]:
    """A federation charter with a convenor and a spokesperson, each for 30 days (`federation` adds)."""
    return federation_charter(offices=OFFICES, **federation)


def three_homes(**federation: Any) -> tuple[list[Assembly], Assembly]:
    """Three home assemblies and the federation their delegates ana, dora and gina founded."""
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    homes.append(found_home(["gina", "hilda", "ines"]))
    fed = found_federation(
        {"ana": homes[0], "dora": homes[1], "gina": homes[2]}, charter=office_charter(**federation)
    )
    return homes, fed


def home_of(homes: list[Assembly], log: str) -> Assembly:
    return next(h for h in homes if h.log == log)


def give_office_cargo(home: Assembly, federation: str, office: str, *, term_days: int = 90) -> str:
    """Create, by the home's decision, a cargo serving `office` of `federation`; return its holder."""
    cargo = f"fed_{office}"
    create_cargo(home, cargo, powers=[office_in(federation, office)], term_days=term_days)
    return holders(home, cargo)[0]


def accredit_office(home: Assembly, holder: str, federation: str, office: str, *, days: int = 20) -> Entry:
    """`holder` issues their credential for `office` of `federation`, ending `days` from now."""
    content = {"federation": federation, "office": office, "until": home.clock + days * DAY_MS}
    return home.act(holder, "office.accredited", content)


def office_content(home: Assembly, credential: Entry) -> dict[str, Any]:
    """The body of `federation.office_taken` citing `credential` of `home`."""
    return {
        "assembly": home.log,
        "cites": [cite(home, credential).as_json()],
        "credential": home.bodies[credential.act.body].content(),
    }


def back_petition(home: Assembly, federation: str, action: str, **target: Any) -> Entry:
    """The home decides (a "yes" mandate on the petition's question) and states it in `petition.backed`."""
    question = petition_question(action, petition_target(action, **target))
    decide(home, "mandate", {"body": federation, "question": question, "position": "yes"})
    author = asm_names(home)[0]
    return home.act(author, "petition.backed", {"federation": federation, "action": action, **target})


def petition_content(home: Assembly, backing: Entry) -> dict[str, Any]:
    """The body of `federation.petition_cited` citing `backing` of `home`."""
    return {
        "assembly": home.log,
        "cites": [cite(home, backing).as_json()],
        "backing": home.bodies[backing.act.body].content(),
    }


# --- ratification: a resolution adopted by the federation, answered by each home's own decision ---------


def ratifying_federation(
    delegates: dict[str, Assembly], *, ratification: dict[str, Any] | None = None
) -> Assembly:
    """A federation whose questions pass by majority and whose charter chooses `ratification`."""
    block: dict[str, Any] = dict(FEDERATION)
    if ratification is not None:
        block["ratification"] = ratification
    return found_federation(delegates, charter=cargo_charter(federation=block))


def adopt_resolution(
    fed: Assembly, homes: list[Assembly], *, share: str = "1/2", days: int = 30, rule: str | None = None
) -> int:
    """The federation adopts a resolution needing `share` within `days`, voted as its questions are: each
    of `homes` seats a delegate (once), decides and states its mandate "yes", and its delegate casts the
    assembly's voice; a founder closes it after the recall grace time. Return the resolution's id."""
    chosen = rule or fed.state.rules.federation.ratification.rule  # type: ignore[union-attr]
    effect = {"rule": chosen, "share": share, "deadline": fed.clock + days * DAY_MS}
    return federation_decides(fed, homes, "resolution", effect)


def federation_decides(fed: Assembly, homes: list[Assembly], matter: str, effect: dict[str, Any]) -> int:
    """The federation decides a proposal of `matter`: each of `homes` seats a delegate (once), one of
    them tables it and opens its question, each home mandates "yes" and its delegate casts its voice, and
    the delegate closes it after the recall grace time. Return the proposal's id."""
    for home in homes:
        seated_delegate(fed, home)
    delegate = standing_name(fed)
    proposal = fed.table(delegate, matter=matter, effect=effect)
    question = fed.open_question(delegate, proposal, voting_ms=DAY_MS)
    vote_by_delegates(fed, homes, question, "yes")
    close_after_grace(fed, question, by=delegate)
    return proposal


def standing_name(fed: Assembly, *, other_than: str = "") -> str:
    """The test name of a delegate seated in `fed` now (the earliest seated first): who acts as the
    federation's member (core/federations/standing.py); founders do not, once the founding is done."""
    for member in fed.state.member_assemblies.values():
        for seat in member.seats:
            if seat.stands(now=fed.clock) and seat.key in BY_KEY and name_of(seat.key) != other_than:
                return name_of(seat.key)
    raise AssertionError("no delegate is seated in the federation")


def seated_delegate(fed: Assembly, home: Assembly) -> tuple[str, Entry]:
    """`home`'s delegate seated in `fed` and the credential they sat on; seat one first if none sits."""
    for entry in reversed(fed.entries):
        if entry.type == "federation.seated":
            body = fed.bodies[entry.act.body].content()
            if body["assembly"] == home.log:
                seq = body["cites"][0]["seq"]
                credential = home.entries[seq - 1]
                return name_of(credential.author), credential
    delegate = give_federation_cargo(home, fed.log)
    credential = accredit(home, delegate, fed.log)
    fed.clock = max(fed.clock, home.clock)
    fed.act(delegate, "federation.seated", seat_content(home, credential))
    return delegate, credential


def vote_by_delegates(fed: Assembly, homes: list[Assembly], question: int, choice: str) -> None:
    """Each of `homes` decides its mandate `choice` on `question` and states it; its seated delegate
    casts the assembly's voice citing credential and mandate."""
    for home in homes:
        delegate, credential = seated_delegate(fed, home)
        mandate = state_mandate(home, fed.log, question, choice)
        fed.clock = max(fed.clock, home.clock)
        fed.act(delegate, VOTED, vote_content(home, credential, question, choice, mandate))


# --- a federation's questions voted by its member assemblies' seated delegates (federation_votes.py) ---

VOTED = "federation.voted"
MANDATED = "delegate.mandated"


def state_mandate(home: Assembly, federation: str, question: int, position: str, *, by: str = "") -> Entry:
    """The home assembly decides its mandate on the federation's question, and a member states it."""
    decide(home, "mandate", {"body": federation, "question": str(question), "position": position})
    member = by or asm_names(home)[0]
    return home.act(member, MANDATED, {"federation": federation, "question": question, "position": position})


def vote_content(
    home: Assembly, credential: Entry, question: int, choice: str, mandate: Entry | None = None
) -> dict[str, Any]:
    """The body of `federation.voted` citing `credential` (and `mandate`, unless abstaining) of `home`."""
    content: dict[str, Any] = {
        "question": question,
        "choice": choice,
        "cites": [cite(home, credential).as_json()],
    }
    if mandate is not None:
        content["cites"].append(cite(home, mandate).as_json())
        content["mandate"] = home.bodies[mandate.act.body].content()
    return content


def close_after_grace(fed: Assembly, question: int, *, by: str = "") -> Entry:
    """A seated delegate closes the federation's question once its deadline and the recall grace time
    passed."""
    grace = fed.state.rules.federation
    assert grace is not None
    fed.clock = max(fed.clock, fed.state.questions[question].deadline + grace.recall_grace_ms)
    return fed.act(by or standing_name(fed), "question.closed", {"question": question})


def ratify_at_home(home: Assembly, federation: str, resolution: int, *, yes: bool = True) -> Entry:
    """`home` decides on the resolution by its own method (everyone votes `yes` or `no`) and records the
    result; return the `ratification.recorded` entry."""
    effect = {"federation": federation, "resolution": resolution}
    if yes:
        proposal = decide(home, "ratification", effect)
    else:
        names = asm_names(home)
        proposal = home.table(names[0], matter="ratification", effect=effect)
        question = home.open_question(names[0], proposal)
        for name in names:
            home.vote(name, question, "no")
        home.act(names[0], "question.closed", {"question": question})
    return record_ratification(home, proposal)


def record_ratification(home: Assembly, proposal: int, **changes: Any) -> Entry:
    """Any member records how the ratification decision `proposal` closed (`changes` alter the body)."""
    decided = home.state.proposals[proposal]
    voters = home.state.questions[decided.questions[-1]].eligible if decided.questions else {}
    content = {
        **decided.effect,
        "proposal": proposal,
        "answer": "no" if decided.status == "rejected" else "yes",
        "households": len(set(voters.values())) or len(home.state.members),
        **changes,
    }
    return home.act(asm_names(home)[-1], "ratification.recorded", content)


def ratified_content(home: Assembly, recorded: Entry, resolution: int) -> dict[str, Any]:
    """The body of `federation.ratified` citing `recorded` of `home`."""
    return {
        "resolution": resolution,
        "cites": [cite(home, recorded).as_json()],
        "report": home.bodies[recorded.act.body].content(),
    }


def pass_days(fed: Assembly, *, days: int) -> None:
    """Let `days` pass in the federation and record an entry then, so replay reaches that time: a
    stranger's application (a non-member's act), since founders no longer act as members once the
    founding is done and a delegate's seat may have ended meanwhile."""
    fed.act(f"passer-{fed.clock}", "member.applied", {"household": "f" * 64}, dt=days * DAY_MS)


def household_of(home: Assembly, who: str) -> str:
    """The household of `who` (a test name) in `home`: how the federation's pages name them when this
    node holds `home`'s record and no act named the household."""
    return home.state.members[home.state.key_owner[keypair(who).public]].household
