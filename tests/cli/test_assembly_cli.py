"""`ayllu act`, `ayllu found` and `ayllu show`: every act once, errors in words, the record checked."""

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ayllu.actions.catalogue import ACT_KINDS, CARGO_KINDS
from ayllu.actions.record import forget_replayed_state
from ayllu.cli.main import main
from ayllu.core.charter.founding import FOUNDED
from ayllu.core.ledger.succession import RECORD_MOVED
from ayllu.queries.assembly import forget_assembly_states
from ayllu.storage import models
from ayllu.storage.keyfiles import create_key_file
from factories.federations import FEDERATION_TYPES
from factories.nodes import Node

# Citing needs a second record to cite: tests/api/test_citations_api.py, tests/cli/test_citations_cli.py.
CITED = "record.cited"

LATER = 4_102_444_800_000  # 2100: a question's deadline that outlasts the test
NAMES = ("ana", "bea", "carla", "dora", "dora-2", "carla-2", "zoe")


class Cli:
    """The `ayllu` command run in this process (on the test database), with members' key files."""

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.keys = {name: tmp_path / f"{name}.key" for name in NAMES}
        self.public = {name: create_key_file(path).public for name, path in self.keys.items()}
        self.log = ""

    def run(self, *args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = self.capsys.readouterr()
        return code, out, err

    def act(self, who: str, kind: str, *fields: str) -> int:
        """Run `ayllu act KIND` as `who`; it must succeed; return the entry's seq."""
        code, out, err = self.run("act", kind, "--log", self.log, "--key", str(self.keys[who]), *fields)
        assert code == 0, (kind, err)
        if out.startswith("waiting: "):  # an application waits outside the record until taken in
            return 0
        match = re.search(r"is entry (\d+) of record", out)
        assert match, out
        return int(match[1])

    def types(self) -> list[str]:
        rows = models.Entry.objects.filter(record__log=self.log).order_by("seq")
        return list(rows.values_list("type", flat=True))


@pytest.fixture
def cli(db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    forget_replayed_state()
    forget_assembly_states()
    return Cli(tmp_path, capsys)


@pytest.fixture
def founded(cli: Cli, tmp_path: Path) -> Cli:
    charter = json.loads(json.dumps(_quick_charter()))
    (tmp_path / "charter.json").write_text(json.dumps(charter))
    keys = [a for name in ("ana", "bea", "carla") for a in ("--key", str(cli.keys[name]))]
    code, out, err = cli.run(
        "found", "--name", "Junta vecinal", *keys, "--charter", str(tmp_path / "charter.json")
    )
    assert code == 0, err
    cli.log = re.search(r"of record ([0-9a-f]{64})", out)[1]  # type: ignore[index]
    return cli


def _quick_charter() -> dict[str, object]:
    from ayllu.core.charter.rules import default_charter_data

    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 0}
    charter["admission"] = {"by": "sponsorship", "sponsors": 1}
    charter["key_replacement"] = {"by": "vouching", "vouchers": 2}
    charter["petition"] = {"signatures": 2}
    charter["quorum"] = {"basis": "members", "share": "1/2"}
    return charter


def test_every_act_once_through_the_cli(founded: Cli) -> None:
    # given: an assembly founded with `ayllu found` (ana convenes; carla, the last founder, keeps minutes)
    c, p = founded, founded.public
    now = time.time_ns() // 1_000_000
    # when
    c.act("ana", "notice", "--text", "Asamblea el domingo")
    c.act("dora", "apply", "--household", "h-dora")
    c.act("ana", "sponsor", "--applicant", p["dora"])
    c.act("dora", "register-household", "--household", "h-dora-2")
    c.act("dora", "register-household", "--household", "new", "--household-name", "Casa de Dora")
    code, out, _ = c.run("show", "members", c.log)
    (named,) = [h for h in json.loads(out)["households"] if h["name"] == "Casa de Dora"]
    assert code == 0 and re.fullmatch(r"h-[0-9a-f]{32}", named["id"]) and named["members"] == [p["dora"]]
    c.act("dora", "set-name", "--name", "Dora Quispe")
    c.act("dora", "rotate-key", "--new-key", p["dora-2"])
    c.act("carla-2", "claim-key", "--member", p["carla"])
    c.act("ana", "vouch-key", "--claiming-key", p["carla-2"])
    c.act("bea", "vouch-key", "--claiming-key", p["carla-2"])
    meeting = str(c.act("ana", "convene", "--title", "Asamblea", "--starts", str(now - 1000)))
    petition = c.act("bea", "petition", "--purpose", "Agua")
    c.act("carla-2", "sign-petition", "--petition", str(petition))
    for who in ("ana", "bea", "dora-2"):
        c.act(who, "sign-presence", "--meeting", meeting)
    c.act("ana", "add-agenda-item", "--meeting", meeting, "--kind", "discussion", "--title", "Agua")
    c.act("bea", "queue", "--meeting", meeting)
    c.act("ana", "call-speaker", "--meeting", meeting, "--member", p["bea"])
    point = c.act("dora-2", "raise-point", "--meeting", meeting, "--text", "Orden del día")
    c.act("ana", "rule-point", "--meeting", meeting, "--point", str(point), "--ruling", "Al inicio")
    c.act("carla-2", "add-note", "--meeting", meeting, "--text", "Se habló del agua")
    proposal = str(c.act("ana", "table", "--matter", "ordinary", "--title", "Turnos", "--text", "Por semana"))
    c.act("bea", "cosign", "--proposal", proposal)
    amendment = c.act("bea", "amend", "--proposal", proposal, "--title", "Turnos", "--text", "Por día")
    c.act("ana", "accept-amendment", "--proposal", proposal, "--amendment", str(amendment))
    c.act("dora-2", "comment", "--proposal", proposal, "--text", "De acuerdo")
    slip = c.act("dora-2", "comment", "--proposal", proposal, "--text", "Mi teléfono es 555")
    c.act("dora-2", "erase-words", "--entry", str(slip))
    objection = str(c.act("carla-2", "object", "--proposal", proposal, "--reason", "Falta el barrio alto"))
    c.act(
        "bea", "answer-objection", "--proposal", proposal, "--objection", objection, "--answer", "Se incluye"
    )
    c.act("carla-2", "withdraw-objection", "--proposal", proposal, "--objection", objection)
    question = str(c.act("ana", "open-question", "--proposal", proposal, "--deadline", str(now + 3_600_000)))
    for who in ("ana", "bea", "dora-2"):
        c.act(who, "vote", "--question", question, "--choice", "consent")
    c.act("ana", "close-question", "--question", question)
    second = str(c.act("bea", "table", "--matter", "ordinary", "--title", "Fiesta", "--text", ""))
    c.act("bea", "withdraw", "--proposal", second)
    c.act("dora-2", "end-presence", "--meeting", meeting)
    c.act("ana", "close-meeting", "--meeting", meeting)
    c.act("dora-2", "leave")
    # then: the record holds every kind of act, and `ayllu show` reads the outcome from it (moving the
    # record to another node is tested with the nodes, tests/federation)
    tried = [
        k
        for k in ACT_KINDS.values()
        if k not in CARGO_KINDS and k.type not in (RECORD_MOVED, CITED, *FEDERATION_TYPES)
    ]
    assert set(c.types()) == {FOUNDED, *(k.type for k in tried)}
    code, out, _ = c.run("show", "questions", c.log)
    (shown,) = json.loads(out)
    assert (code, shown["outcome"]["result"], shown["outcome"]["participation"]) == (0, "passed", 4)
    # and a consent round's outcome has its rounds but none of the parts other methods fill, as in the API
    assert "rounds" in shown["outcome"] and not {"threshold", "pairwise", "ranking"} & set(shown["outcome"])
    code, out, _ = c.run("show", "minutes", c.log, "--meeting", meeting)
    assert json.loads(out)["notes"][0]["text"] == "Se habló del agua"


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("es", "El acto lo hizo alguien que no es miembro de la asamblea."),
        ("en", "The act was made by someone who is not a member of the assembly."),
    ],
)
def test_an_error_is_a_code_and_a_translated_sentence_and_nothing_is_written(
    founded: Cli, lang: str, sentence: str
) -> None:
    # given
    size = len(founded.types())
    # when: someone who is not a member posts a notice
    code, out, err = founded.run(
        "act",
        "notice",
        "--log",
        founded.log,
        "--key",
        str(founded.keys["zoe"]),
        "--text",
        "hola",
        "--lang",
        lang,
    )
    # then
    assert code == 2 and out == ""
    assert err.splitlines()[0] == f"error: not_a_member: {sentence}"
    assert len(founded.types()) == size


def test_the_founding_has_its_own_command_and_is_no_act_of_a_record(cli: Cli) -> None:
    # given the catalogue that `ayllu act` and the API's act routes are built from
    # then the founding, which names its record, is left out of it
    assert FOUNDED not in {kind.type for kind in ACT_KINDS.values()}
    # and `ayllu act found` is no command (`ayllu found` is)
    with pytest.raises(SystemExit):
        cli.run("act", "found", "--log", "0" * 64)


def test_show_charter_reads_the_charter_in_plain_language(founded: Cli) -> None:
    # when
    _, spanish, _ = founded.run("show", "charter", founded.log, "--lang", "es")
    _, english, _ = founded.run("show", "charter", founded.log, "--lang", "en")
    # then
    assert "La asamblea es soberana" in spanish.splitlines()[0]
    assert "Cualquier miembro puede llevar una propuesta a votación." in spanish.splitlines()
    assert (
        "Admissions: decided by majority; it passes when the yes votes are more than 1 of every 2 yes and "
        "no votes." in english.splitlines()
    )


@pytest.mark.slow  # the installed `ayllu` command, one process per act
def test_the_installed_command_founds_acts_and_shows(
    make_node: Callable[..., Node], sqlite_only: None
) -> None:
    # given: a node and two members' key files made with `ayllu keygen`
    node = make_node("node")
    assert node.run("init").returncode == 0
    ana, bea = node.data / "ana.key", node.data / "bea.key"
    ana_key = node.run("keygen", str(ana)).stdout.strip()
    node.run("keygen", str(bea))
    # when
    founding = node.run("found", "--name", "Cooperativa", "--key", str(ana), "--key", str(bea))
    log = re.search(r"of record ([0-9a-f]{64})", founding.stdout)[1]  # type: ignore[index]
    notice = node.run("act", "notice", "--log", log, "--key", str(ana), "--text", "hola")
    members = node.run("show", "members", log)
    refused = node.run("act", "vote", "--log", log, "--key", str(ana), "--question", "9", "--choice", "yes")
    # then
    assert founding.returncode == 0 and notice.returncode == 0, (founding.stderr, notice.stderr)
    assert "notice.posted is entry 2" in notice.stdout
    assert ana_key in {m["id"] for m in json.loads(members.stdout)["members"]}
    assert refused.returncode == 2 and refused.stderr.startswith(
        "error: unknown_question: No existe esa pregunta."
    )


def test_the_assembly_erases_a_member_s_words_by_a_decision_through_the_cli(founded: Cli) -> None:
    # given: ana wrote a neighbour's telephone number in a notice
    c = founded
    notice = c.act("ana", "notice", "--text", "El teléfono de Rosa es 555-0199")
    # when bea proposes erasing it, and the assembly decides
    proposal = c.act("bea", "propose-erasure", "--entry", str(notice), "--title", "Borrar", "--text", "")
    question = str(c.act("bea", "open-question", "--proposal", str(proposal), "--deadline", str(LATER)))
    for who in ("ana", "bea", "carla"):
        c.act(who, "vote", "--question", question, "--choice", "yes")
    c.act("carla", "close-question", "--question", question)
    # then the words are erased on this node and the record verifies
    assert models.Body.objects.filter(record__log=c.log, erased=True).count() == 1
    code, out, err = c.run("verify", c.log)
    assert code == 0, out + err
    # and proposing it again is refused with a translated sentence, nothing written
    size = len(c.types())
    code, _, err = c.run(
        "act", "propose-erasure", "--log", c.log, "--key", str(c.keys["bea"]), "--lang", "es",
        "--entry", str(notice), "--title", "Borrar", "--text", "",
    )  # fmt: skip
    assert code != 0 and "ya fueron borradas" in err, err
    assert len(c.types()) == size
