"""The assembly erases words by a decision: a proposal of matter "erasure" naming an entry; when it passes,
every node deletes those words' bytes, the record verifies, and reads and appends go on, before and after
a restart. Erasing needs the decision: a body held as erased without it fails verification."""

from django.test import Client

from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.queries.assembly import forget_assembly_states
from ayllu.storage import models
from factories.api import LATER, ApiAssembly
from factories.charters import instant_charter

SECRET = "mi teléfono es 555-0199"


def _decide_erasure(asm: ApiAssembly, entry: int) -> int:
    """Table (through the typed route), open, vote and close a proposal erasing entry `entry`'s words;
    the closing entry's seq."""
    proposal = asm.ok("bea", "propose-erasure", entry=entry, title="Borrar el teléfono", text="")
    assert asm.get(f"/proposals/{proposal}").json()["matter"] == "erasure"
    question = asm.ok("bea", "open-question", proposal=proposal, deadline=LATER)
    for who in ("ana", "bea", "carla"):
        asm.ok(who, "vote", question=question, choice="yes")
    return asm.ok("bea", "close-question", question=question)


def _comment(asm: ApiAssembly) -> tuple[int, int]:
    """Ana comments on a proposal with her telephone number: (the proposal, the comment's seq)."""
    proposal = asm.ok("ana", "table", matter="ordinary", title="Agua", text="Turnos del agua")
    return proposal, asm.ok("ana", "comment", proposal=proposal, text=SECRET)


def _page_and_api(asm: ApiAssembly, proposal: int) -> str:
    """What an outsider reads of the proposal on its page and through the API."""
    page = asm.client.get(f"/es/asamblea/{asm.log}/propuestas/{proposal}/")
    assert page.status_code == 200
    api = asm.get(f"/proposals/{proposal}")
    assert api.status_code == 200
    return page.content.decode() + api.content.decode()


def test_a_decision_of_the_assembly_erases_another_member_s_words(client: Client, db: None) -> None:
    # given: ana wrote her telephone number in a comment
    asm = ApiAssembly.found(client, ["ana", "bea", "carla"], charter=instant_charter())
    proposal, comment = _comment(asm)
    assert SECRET in _page_and_api(asm, proposal)
    # when the assembly decides, on bea's proposal, to erase those words
    closed = _decide_erasure(asm, comment)
    # then the words' bytes are gone from this node, the record keeps their hash and verifies
    erased = models.Body.objects.filter(record__log=asm.log, erased=True)
    assert erased.count() == 1 and erased.get().raw is None
    raws = models.Body.objects.filter(record__log=asm.log).exclude(raw=None).values_list("raw", flat=True)
    assert SECRET.encode() not in b"".join(bytes(raw) for raw in raws)
    report = do_verify_record(asm.log, workers=1)
    assert report.ok and report.replayed == closed
    # and reads and appends go on, before and after a restart (no cached state)
    assert SECRET not in _page_and_api(asm, proposal)
    assert asm.ok("carla", "comment", proposal=proposal, text="sigue") == closed + 1
    forget_replayed_state()
    forget_assembly_states()
    assert do_verify_record(asm.log, workers=1).ok
    assert SECRET not in _page_and_api(asm, proposal)
    assert asm.ok("ana", "comment", proposal=proposal, text="y sigue") == closed + 2


def test_an_erasure_naming_words_no_one_may_erase_is_refused_with_nothing_written(
    client: Client, db: None
) -> None:
    # given: entry 1 is the founding, whose body the rules read
    asm = ApiAssembly.found(client, ["ana", "bea", "carla"], charter=instant_charter())
    size = asm.size()
    # when a member tables its erasure, or one of an entry that does not exist
    founding = asm.act("bea", "table", matter="erasure", title="Borrar", text="", effect={"entry": 1})
    missing = asm.act("bea", "table", matter="erasure", title="Borrar", text="", effect={"entry": 99})
    wrong = asm.act("bea", "table", matter="erasure", title="Borrar", text="", effect={"entry": "dos"})
    # then each is refused with a translated sentence, and nothing is written
    for response, entry in ((founding, 1), (missing, 99)):
        assert response.status_code in (400, 409, 422), response.content
        assert response.json()["code"] == "no_words_to_erase"
        assert response.json()["message"] == f"La entrada {entry} no tiene palabras que se puedan borrar."
    assert wrong.status_code in (400, 422) and wrong.json()["code"] == "malformed_body"
    assert asm.size() == size


def test_words_the_author_erased_meanwhile_are_not_erased_again_and_the_decision_changes_nothing(
    client: Client, db: None
) -> None:
    # given: a proposal to erase ana's notice, and ana erasing it herself before the vote closes
    asm = ApiAssembly.found(client, ["ana", "bea", "carla"], charter=instant_charter())
    _, notice = _comment(asm)
    proposal = asm.ok("bea", "table", matter="erasure", title="Borrar", text="", effect={"entry": notice})
    question = asm.ok("bea", "open-question", proposal=proposal, deadline=LATER)
    for who in ("ana", "bea", "carla"):
        asm.ok(who, "vote", question=question, choice="yes")
    asm.ok("ana", "erase-words", entry=notice)
    # when the question closes
    asm.ok("bea", "close-question", question=question)
    # then the words stay erased once, and the record verifies
    assert models.Body.objects.filter(record__log=asm.log, erased=True).count() == 1
    assert do_verify_record(asm.log, workers=1).ok


def test_a_body_erased_in_the_database_without_a_decision_fails_verification(
    client: Client, db: None
) -> None:
    # given: a notice whose words a node operator erases by hand, with no act allowing it
    asm = ApiAssembly.found(client, ["ana", "bea", "carla"], charter=instant_charter())
    _, notice = _comment(asm)
    rejected = asm.ok("bea", "table", matter="erasure", title="Borrar", text="", effect={"entry": notice})
    question = asm.ok("bea", "open-question", proposal=rejected, deadline=LATER)
    for who in ("ana", "bea", "carla"):
        asm.ok(who, "vote", question=question, choice="no")
    asm.ok("bea", "close-question", question=question)
    words = models.Body.objects.filter(record__log=asm.log, vis="public").exclude(raw=None)
    words = [row for row in words if SECRET.encode() in bytes(row.raw)]
    assert len(words) == 1
    models.Body.objects.filter(pk=words[0].pk).update(raw=None, erased=True)
    # when the record is verified (the decision was refused: nothing allows the erasure)
    report = do_verify_record(asm.log, workers=1)
    # then
    assert not report.ok
    assert report.problem is not None and report.problem.code == "unauthorised_erasure"
    assert report.problem.seq == notice
