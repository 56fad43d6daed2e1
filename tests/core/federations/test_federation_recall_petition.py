"""A recall petition against a federation's cargo holder counts member assemblies (decision 0033, as
every member count of a federation does, decision 0030): two delegates of one assembly are one
signature, the charter's count is of member assemblies, and the recall question opened by the petition
is voted by the member assemblies, one voice each, cast by their delegates under their mandates."""

from ayllu.core.assembly.reads import list_recall_petitions
from factories.assemblies import Assembly, replay_all
from factories.federation_recall import PETITIONED, SIGNED, petition_content, treasurer_scene
from factories.federations import close_after_grace, vote_by_delegates
from factories.keys import pub


def _petition(fed: Assembly, who: str, holder: str) -> int:
    return fed.act(who, PETITIONED, petition_content(holder)).seq


def test_two_delegates_of_one_assembly_are_one_signature_of_the_member_assemblies() -> None:
    homes, fed, names = treasurer_scene()
    assert fed.state.cargos["tesorero"].held_by(pub(names["bajo"]), now=fed.clock)
    # when both of alto's delegates sign the petition
    petition = _petition(fed, names["alto"], names["bajo"])
    fed.act(names["alto_2"], SIGNED, {"petition": petition})
    # then one member assembly of the two needed signed: no recall question opens
    assert not fed.state.recall_petitions[petition].question
    [listed] = list_recall_petitions(fed.state)
    assert (len(listed.signers), listed.signed, listed.needed) == (2, 1, 2)
    # a founder who holds no seat signs nothing
    assert fed.rejects("gina", SIGNED, {"petition": petition}) == "not_a_seated_delegate"
    # when sur's delegate signs, two member assemblies did: the recall question opens
    question = fed.act(names["sur"], SIGNED, {"petition": petition}).seq
    assert fed.state.recall_petitions[petition].question == question
    # and its voters are the three member assemblies (the holder's own included), not the founders
    assert set(fed.state.questions[question].eligible) == {h.log for h in homes}


def test_the_recall_question_is_decided_by_the_member_assemblies_and_ends_the_cargo() -> None:
    homes, fed, names = treasurer_scene()
    petition = _petition(fed, names["alto"], names["bajo"])
    question = fed.act(names["sur"], SIGNED, {"petition": petition}).seq
    # when alto and sur mandate "yes" at home and their delegates cast their assemblies' voices
    vote_by_delegates(fed, [homes[0], homes[2]], question, "yes")
    assert fed.state.questions[question].votes == {homes[0].log: "yes", homes[2].log: "yes"}
    close_after_grace(fed, question, by=names["alto"])
    # then the recall passed and bajo's delegate no longer holds the cargo, on every replica
    assert fed.state.proposals[petition].status == "adopted"
    assert not fed.state.cargos["tesorero"].held_by(pub(names["bajo"]), now=fed.clock)
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert again.cargos["tesorero"].holders == fed.state.cargos["tesorero"].holders
    assert again.recall_petitions[petition].question == question
