"""The demo assembly's history: a neighbourhood council of El Alto in its second year.

Every entry is an act signed by the member who makes it and appended through the one write path
(`do_append`), as the browser, the API and the CLI append theirs; the node's clock is held on the
story's clock meanwhile (`clock.held`), so a year of meetings, decisions, turns, a mandate, a recall and
a draw lands at the times it would have happened, and every rule is checked at those times. The story
ends before the real now, with one question still open for a visitor to answer.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ayllu.actions.record import do_append, do_found_assembly
from ayllu.core.assembly.acts import ACT_KINDS, split_body
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import DAY_MS, default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import log_id_for, sign_act
from ayllu.core.sortition import Quota, commitment_for, recompute_draw
from ayllu.core.sortition.acts import draw_evidence
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.queries.cargos import list_holdings
from ayllu.queries.replayed import read_state
from ayllu.storage import clock

DEMO_NAME = "Junta Vecinal Villa Esperanza"
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
# The story's first day is this long before the real now; its last entry is about two days before it.
STORY_DAYS = 400

# Twenty-eight founding households, two of them with a second member; two more join during the year.
# The person's name is also the name of their key file under DATA/demo-members/.
PEOPLE = {
    "ana": "Mamani",
    "bruno": "Quispe",
    "carmen": "Condori",
    "dario": "Choque",
    "elena": "Apaza",
    "fabiola": "Huanca",
    "gregoria": "Ticona",
    "hilarion": "Limachi",
    "irma": "Poma",
    "justino": "Copa",
    "lidia": "Calle",
    "marcelo": "Nina",
    "nelly": "Yujra",
    "oscar": "Chambi",
    "paulina": "Laura",
    "ruben": "Cusi",
    "sonia": "Alanoca",
    "teodoro": "Callisaya",
    "ursula": "Rojas",
    "victor": "Vargas",
    "wilma": "Ramos",
    "yola": "Tarqui",
    "zenon": "Aruquipa",
    "agustina": "Mendoza",
    "benita": "Paco",
    "cristobal": "Quisbert",
    "delia": "Layme",
    "eusebio": "Huarachi",
    "rosa": "Mamani",
    "felipa": "Choque",
}
# Who joined after the founding (by sponsorship), and who sponsored them.
JOINED = {"german": ("Gutierrez", "carmen", "oscar"), "hortensia": ("Cruz", "lidia", "victor")}
FOUNDERS = tuple(PEOPLE)
EVERYONE = (*FOUNDERS, *JOINED)
# The household whose member a visitor may act as (the demo page offers this member's key).
VISITOR = "elena"
# The draw's zones: the council's two sides of the avenue.
ZONES = {name: ("arriba" if i % 2 else "abajo") for i, name in enumerate(EVERYONE)}
BEACON = {"source": "drand-quicknet", "round": 4_821_337, "value": "7c" * 32}


@dataclass
class Story:
    """The demo record being written: its members' keys and the story's clock (ms)."""

    keys: dict[str, Keypair]
    now: int
    start: int = 0
    log: str = ""
    acts: int = 0
    ids: dict[str, int] = field(default_factory=dict)
    chairs: dict[int, str] = field(default_factory=dict)
    present: dict[int, set[str]] = field(default_factory=dict)

    def tick(self) -> int:
        """The node's clock while the story is written: each reading moves it half a minute."""
        self.now += 30_000
        return self.now

    def wait(self, ms: int) -> None:
        self.now += ms

    def day(self, day: int) -> None:
        """Move on to the story's `day` (counted from the founding), unless it is already later."""
        self.now = max(self.now, self.start + day * DAY_MS)

    def pub(self, name: str) -> str:
        return self.keys[name].public

    def name_of(self, key: str) -> str:
        return next(name for name, k in self.keys.items() if k.public == key)

    def act(self, who: str, type: str, content: dict[str, Any]) -> int:
        """`who` signs the act; it is appended through the real write path. Its seq."""
        vis = "members" if type == "member.applied" else "public"
        body = split_body(ACT_KINDS[type], content, vis=vis)  # format 2: rule data apart from words
        self.acts += 1
        signed = sign_act(self.keys[who], log=self.log, type=type, body=body, nonce=f"demo-{self.acts}")
        return do_append(self.log, signed_act=signed, body=body).seq

    def holders(self, cargo: str) -> list[str]:
        """Who holds `cargo` now, by name."""
        held = list_holdings(self.log, now=self.now)
        return [self.name_of(h.member) for h in held if h.cargo == cargo]

    def holder(self, cargo: str) -> str:
        return self.holders(cargo)[0]

    def eligible(self, question: int) -> set[str]:
        keys: set[str] = read_state(self.log, lambda state: set(state.questions[question].eligible))
        return {self.name_of(key) for key in keys}


def story_charter() -> dict[str, Any]:
    """The founding charter: the default, with recall and petitions at a size a 30-household council
    can reach, and choices by ranking."""
    charter = default_charter_data()
    charter["recall"] = {"petition": 5, "threshold": "1/2", "voting_ms": 3 * DAY_MS}
    return charter


def amended_charter() -> dict[str, Any]:
    """The charter after the amendment of the second half-year: ordinary matters by consensus (two
    blocks stop a proposal, then two rounds and the two-thirds fallback), choices by approval."""
    charter = story_charter()
    charter["methods"] = {
        **charter["methods"],
        "ordinary": {"method": "consensus"},
        "choice": {"method": "approval"},
    }
    charter["consensus_blocks"] = 2
    return charter


def found(story: Story) -> None:
    """The founding assembly: thirty members of twenty-eight households sign; Ana convenes and Bruno
    keeps the minutes until the council decides its cargos by turn."""
    until = story.now + 75 * DAY_MS
    content = build_founding_content(
        DEMO_NAME,
        founded_at=story.now,
        charter=story_charter(),
        founders=[(story.pub(name), PEOPLE[name]) for name in FOUNDERS],
        cargos=[("convenor", story.pub("ana"), until), ("minute_keeper", story.pub("bruno"), until)],
    )
    body = build_founding_body(content, [endorse_founding(story.keys[n], content) for n in FOUNDERS])
    story.log = log_id_for(body)
    signed = sign_act(story.keys["ana"], log=story.log, type=FOUNDED, body=body, nonce="founding")
    do_found_assembly(signed_act=signed, body=body)


def between_meetings(
    story: Story,
    author: str,
    *,
    matter: str,
    title: str,
    text: str,
    effect: dict[str, Any] | None = None,
    options: Iterable[str] = (),
    ballots: dict[str, Any],
    close: bool = True,
) -> int:
    """Table a proposal, deliberate three days, open its question for two, vote, close it. Its id."""
    content: dict[str, Any] = {"matter": matter, "title": title, "text": text, "effect": effect or {}}
    if options:
        content["options"] = list(options)
    proposal = story.act(author, "proposal.tabled", content)
    story.ids[title] = proposal
    story.wait(3 * DAY_MS)
    question = open_question(story, author, proposal, ballots=ballots)
    if close:
        story.wait(2 * DAY_MS + 2 * HOUR_MS)
        story.act(author, "question.closed", {"question": question})
    return proposal


def open_question(story: Story, author: str, proposal: int, *, ballots: dict[str, Any]) -> int:
    """Open the proposal's question for two days and cast `ballots` (name → choice). Its id."""
    question = story.act(
        author, "question.opened", {"proposal": proposal, "deadline": story.now + 2 * DAY_MS + HOUR_MS}
    )
    vote(story, question, ballots)
    return question


def vote(story: Story, question: int, ballots: dict[str, Any]) -> None:
    """Each of `ballots`' members who may vote on the question casts their ballot."""
    eligible = story.eligible(question)
    for name, choice in ballots.items():
        if name not in eligible:
            continue
        if isinstance(choice, tuple):  # a block with its reason
            story.act(name, "vote.cast", {"question": question, "choice": choice[0], "reason": choice[1]})
        else:
            story.act(name, "vote.cast", {"question": question, "choice": choice})


def everyone_but(*names: str, choice: Any = "yes", among: Iterable[str] = EVERYONE) -> dict[str, Any]:
    return {name: choice for name in among if name not in names}


def convene(story: Story, title: str, *, present: Iterable[str]) -> int:
    """The convenor of the day convenes the meeting and the households present sign in."""
    chair = story.holder("convenor")
    meeting = story.act(chair, "meeting.convened", {"title": title, "starts": story.now})
    story.ids[title] = meeting
    story.chairs[meeting] = chair
    story.present[meeting] = set()
    for name in (chair, story.holder("minute_keeper"), *present):
        attend(story, meeting, name)
    return meeting


def attend(story: Story, meeting: int, name: str) -> None:
    """`name` signs in as present, unless already there (whoever holds a cargo this time of year)."""
    if name not in story.present[meeting]:
        story.act(name, "presence.signed", {"meeting": meeting})
        story.present[meeting].add(name)


def note(story: Story, meeting: int, text: str) -> None:
    keeper = story.holder("minute_keeper")
    attend(story, meeting, keeper)
    story.act(keeper, "minutes.note_added", {"meeting": meeting, "text": text})


def decide_in_meeting(
    story: Story,
    meeting: int,
    author: str,
    *,
    title: str,
    text: str,
    matter: str = "ordinary",
    effect: dict[str, Any] | None = None,
    ballots: dict[str, Any],
) -> tuple[int, int]:
    """Table in the meeting, deliberate ten minutes, the chair opens the question, the present vote.
    The proposal's and the question's ids (the chair closes it)."""
    content = {"matter": matter, "title": title, "text": text, "effect": effect or {}, "meeting": meeting}
    attend(story, meeting, author)
    proposal = story.act(author, "proposal.tabled", content)
    story.ids[title] = proposal
    story.act(
        author,
        "agenda.item_added",
        {"meeting": meeting, "kind": "proposal", "title": title, "proposal": proposal},
    )
    story.wait(12 * MINUTE_MS)
    question = story.act(story.chairs[meeting], "question.opened", {"proposal": proposal})
    vote(story, question, ballots)
    return proposal, question


def first_year(story: Story) -> None:
    """From the founding to the council's cargos by turn, its first meetings and decisions."""
    present = EVERYONE[:22]
    story.day(2)
    story.act(
        "ana",
        "notice.posted",
        {
            "text": (
                "Bienvenidos a la junta vecinal en ayllu. La primera asamblea es el "
                "sábado a las 18:00 en la sede."
            )
        },
    )
    story.day(7)
    # --- the first assembly: the council's cargos, decided in the meeting by majority of the present
    meeting = convene(story, "Primera asamblea ordinaria", present=FOUNDERS[:24])
    attend(story, meeting, "bruno")
    story.act(
        "bruno",
        "agenda.item_added",
        {"meeting": meeting, "kind": "discussion", "title": "Cargos de la junta por turno"},
    )
    attend(story, meeting, "dario")
    story.act("dario", "speaker.queued", {"meeting": meeting})
    story.act("ana", "speaker.called", {"meeting": meeting, "member": story.pub("dario")})
    note(story, meeting, "Se acuerda que los cargos de la junta roten entre todas las familias, por turno.")
    consent = decide_in_meeting(
        story,
        meeting,
        "carmen",
        title="Limpieza mensual de la cancha",
        text="Cada primer domingo del mes, de 8:00 a 11:00, con herramientas de la sede.",
        ballots={},
    )
    objection = story.act(
        "fabiola",
        "objection.raised",
        {"proposal": consent[0], "reason": "El primer domingo hay feria; mejor el segundo domingo."},
    )
    story.act(
        "carmen",
        "objection.answered",
        {
            "proposal": consent[0],
            "objection": objection,
            "answer": "Se hará el segundo domingo; la propuesta queda así.",
        },
    )
    story.act("fabiola", "objection.withdrawn", {"proposal": consent[0], "objection": objection})
    vote(story, consent[1], everyone_but("fabiola", choice="consent", among=FOUNDERS[:24]))
    story.act("ana", "question.closed", {"question": consent[1]})
    note(
        story,
        meeting,
        "Limpieza de la cancha: aprobada por consentimiento; la objeción de la familia Huanca fue atendida.",
    )
    story.act("ana", "meeting.closed", {"meeting": meeting})
    # --- the cargos, created between meetings (majority of the votes cast)
    story.day(10)
    cargos = (
        ("convenor", "Convocatoria de asambleas", ["convene_meetings"], 2, 90),
        ("minute_keeper", "Libro de actas", ["keep_minutes", "keep_archive"], 1, 90),
        ("tesoreria", "Tesorería de la junta", ["keep_accounts"], 2, 120),
        ("vocalia", "Vocalía de avisos", ["publish_announcements"], 1, 90),
        ("delegacion", "Delegación a la FEJUVE", ["represent_in:fejuve"], 2, 120),
    )
    for cargo, label, powers, burden, days in cargos:
        between_meetings(
            story,
            "bruno",
            matter="cargo_creation",
            title=f"Crear el cargo: {label}",
            text=f"{label}, por turno entre las familias, {days} días cada turno.",
            effect={"cargo": cargo, "powers": powers, "burden": burden, "term_days": days, "seats": 1},
            ballots=everyone_but("irma", "justino"),
        )
    # --- an exemption from turns for a family that cares for an elder
    story.day(40)
    between_meetings(
        story,
        "lidia",
        matter="exemption",
        title="Exención de turnos: familia Poma",
        text="Doña Irma cuida a su madre enferma; la familia queda fuera de los turnos por seis meses.",
        effect={
            "household": "Poma",
            "start": story.now,
            "end": story.now + 180 * DAY_MS,
            "reason": "Cuida a su madre enferma",
        },
        ballots=everyone_but("irma"),
    )
    # --- a choice by ranking: where the new water tank goes
    story.day(60)
    between_meetings(
        story,
        "marcelo",
        matter="choice",
        title="¿Dónde ponemos el tanque de agua?",
        text="La alcaldía entrega un tanque de 10.000 litros. Ordene los lugares de mejor a peor.",
        options=("Junto a la sede", "Plaza principal", "Calle 5, esquina escuela"),
        ballots={
            **{n: ["Junto a la sede", "Plaza principal", "Calle 5, esquina escuela"] for n in EVERYONE[:9]},
            **{n: ["Plaza principal", "Junto a la sede"] for n in EVERYONE[9:15]},
            **{
                n: ["Calle 5, esquina escuela", "Plaza principal", "Junto a la sede"] for n in EVERYONE[15:20]
            },
        },
    )
    # --- two households join, sponsored by two members each
    for name, (household, *sponsors) in JOINED.items():
        story.day(80)
        story.wait(DAY_MS)
        # a new household: an opaque id (public rule data) and its name as words, for members only; the
        # demo's ids are fixed so that every demo record is the same (a device makes a random one)
        fixed_id = "h-" + hashlib.sha256(f"ayllu-demo-household/{name}".encode()).hexdigest()[:32]
        story.act(name, "member.applied", {"household": fixed_id, "household_name": household})
        for sponsor in sponsors:
            story.act(sponsor, "member.sponsored", {"applicant": story.pub(name)})
    # --- the mandate: the council's position for the federation's session on the water tariff
    story.day(100)
    between_meetings(
        story,
        "teodoro",
        matter="mandate",
        title="Mandato: tarifa del agua en la FEJUVE",
        text="La FEJUVE votará la nueva tarifa del agua. La junta manda votar en contra.",
        effect={"body": "fejuve", "question": "Nueva tarifa del agua", "position": "no"},
        ballots=everyone_but(choice="consent", among=present),
    )
    story.day(120)
    delegate = story.holder("delegacion")
    story.ids["delegate"] = EVERYONE.index(delegate)
    story.act(delegate, "delegate.session_held", {"body": "fejuve", "session": "ampliado-junio"})
    story.act(
        delegate,
        "delegate.voted",
        {"body": "fejuve", "session": "ampliado-junio", "question": "Nueva tarifa del agua", "choice": "no"},
    )
    story.wait(2 * DAY_MS)
    story.act(
        delegate,
        "delegate.report_filed",
        {
            "body": "fejuve",
            "session": "ampliado-junio",
            "text": (
                "En el ampliado voté en contra de la nueva tarifa, como mandó la junta. "
                "La tarifa no pasó: 41 juntas en contra, 17 a favor. Se formará una "
                "comisión con la alcaldía."
            ),
        },
    )
    # --- the assembly of the middle of the year: the delegate reports, a decision by consent
    story.day(125)
    present = EVERYONE[6:28]
    meeting = convene(story, "Asamblea de medio año", present=present)
    chair = story.chairs[meeting]
    attend(story, meeting, delegate)
    story.act(delegate, "speaker.queued", {"meeting": meeting})
    story.act(chair, "speaker.called", {"meeting": meeting, "member": story.pub(delegate)})
    note(
        story,
        meeting,
        (
            "La delegación leyó su informe del ampliado de la FEJUVE: votó en "
            "contra de la nueva tarifa del agua, como mandó la junta."
        ),
    )
    _, question = decide_in_meeting(
        story,
        meeting,
        "wilma",
        title="Horario de atención de la sede",
        text="La sede abre los sábados de 9:00 a 12:00 para trámites y reclamos.",
        ballots=everyone_but(choice="consent", among=present),
    )
    story.act(chair, "question.closed", {"question": question})
    note(story, meeting, "Horario de la sede aprobado por consentimiento, sin objeciones.")
    story.act(chair, "meeting.closed", {"meeting": meeting})
    # --- a swap of turns in the treasury: two households exchange places
    story.day(130)
    swap = story.act("nelly", "cargo.swap_proposed", {"cargo": "tesoreria", "household": "Chambi"})
    story.act("oscar", "cargo.swap_accepted", {"swap": swap})


def second_half(story: Story) -> None:
    """The recall that failed, the charter amendment, decisions by consensus and approval, a draw."""
    # --- a recall petition against the treasurer, which the assembly voted down
    story.day(200)
    treasurer = story.holder("tesoreria")
    signers = [n for n in EVERYONE if n != treasurer][25:30]
    petition = story.act(
        signers[0],
        "recall.petitioned",
        {
            "cargo": "tesoreria",
            "member": story.pub(treasurer),
            "reason": "No presentó el informe de la caja de la kermés a tiempo.",
        },
    )
    question = 0
    for name in signers[1:]:
        question = story.act(name, "recall.signed", {"petition": petition})
    story.ids["recall"] = petition
    story.act(
        treasurer,
        "comment.posted",
        {
            "proposal": petition,
            "text": "El informe ya está en la sede: la kermés dejó 2.340 Bs. Pido disculpas por la demora.",
        },
    )
    against = [n for n in EVERYONE if n not in (treasurer, *signers)][:17]
    vote(story, question, {**{n: "yes" for n in signers}, **{n: "no" for n in against}})
    story.wait(3 * DAY_MS + HOUR_MS)
    story.act(signers[0], "question.closed", {"question": question})
    # --- the charter amendment (three quarters of the votes cast)
    story.day(240)
    between_meetings(
        story,
        "ana",
        matter="charter_amendment",
        title="Reforma del estatuto: consenso y aprobación",
        text=(
            "Las decisiones ordinarias pasan a tomarse por consenso (dos bloqueos "
            "detienen una propuesta; tras dos rondas decide una mayoría de dos "
            "tercios) y las elecciones entre opciones por aprobación."
        ),
        effect={"charter": amended_charter()},
        ballots={**everyone_but("justino", "ruben"), "justino": "no", "ruben": "abstain"},
    )
    # --- consensus with a block below the threshold: it passes, the block is recorded
    story.day(270)
    between_meetings(
        story,
        "paulina",
        matter="ordinary",
        title="Alumbrado en el pasaje Los Andes",
        text="Pedir a la alcaldía tres postes de luz para el pasaje; la junta pone la mano de obra.",
        ballots={
            **everyone_but("ursula", "wilma", choice="agree", among=EVERYONE[:20]),
            "ursula": "stand_aside",
            "wilma": ("block", "Primero hay que arreglar el alcantarillado del pasaje."),
        },
    )
    # --- consensus blocked twice, then the two-thirds fallback decides
    story.day(290)
    title = "Cobro de 10 Bs por familia para la fiesta del barrio"
    blocked = between_meetings(
        story,
        "victor",
        matter="ordinary",
        title=title,
        text="Cada familia aporta 10 Bs para la banda y los refrescos de la fiesta de agosto.",
        ballots=_blocked_round(),
        close=True,
    )
    story.wait(DAY_MS)
    question = open_question(story, "victor", blocked, ballots=_blocked_round())
    story.wait(2 * DAY_MS + 2 * HOUR_MS)
    story.act("victor", "question.closed", {"question": question})
    story.wait(DAY_MS)
    fallback = {
        **everyone_but("yola", "zenon", "gregoria", among=EVERYONE[:24]),
        "yola": "no",
        "zenon": "no",
        "gregoria": "no",
    }
    question = open_question(story, "victor", blocked, ballots=fallback)
    story.wait(2 * DAY_MS + 2 * HOUR_MS)
    story.act("victor", "question.closed", {"question": question})
    # --- a choice by approval
    story.day(320)
    between_meetings(
        story,
        "sonia",
        matter="choice",
        title="Día de la feria del barrio",
        text="Marque todos los días que le convengan.",
        options=("Sábado", "Domingo", "Jueves"),
        ballots={
            **{n: ["Sábado", "Domingo"] for n in EVERYONE[:10]},
            **{n: ["Domingo"] for n in EVERYONE[10:18]},
            **{n: ["Jueves", "Sábado"] for n in EVERYONE[18:22]},
        },
    )
    run_draw(story)
    announce(story)


def _blocked_round() -> dict[str, Any]:
    return {
        **everyone_but("yola", "zenon", "gregoria", choice="agree", among=EVERYONE[:22]),
        "yola": ("block", "Muchas familias no pueden pagar este mes."),
        "zenon": ("block", "Que sea voluntario, no un cobro."),
        "gregoria": "stand_aside",
    }


def run_draw(story: Story) -> None:
    """A commission of five for the water tank, drawn by lot: two or three from each side of the
    avenue; six members commit a secret, five reveal, anyone can recompute the panel."""
    story.day(340)
    pool = {story.pub(n): {"zona": ZONES[n]} for n in EVERYONE}
    quotas = [Quota("zona", "arriba", 2, 3), Quota("zona", "abajo", 2, 3)]
    window = 2 * DAY_MS
    body = {
        "purpose": "Comisión de vigilancia del tanque de agua",
        **prepare_draw(pool, quotas=quotas, panel_size=5, size=100),
        "commit_until": story.now + window,
        "reveal_until": story.now + 2 * window,
        "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}],
        "beacon_after": story.now + 3 * window,
    }
    organiser = story.holder("minute_keeper")
    draw = story.act(organiser, "draw.prepared", body)
    story.ids["draw"] = draw
    lottery = read_state(story.log, lambda state: state.draws[draw].lottery_hash)
    committers = ("ana", "carmen", "marcelo", "paulina", "teodoro", "wilma")
    for name in committers:
        commitment = commitment_for(_secret(name), lottery=lottery, member=story.pub(name))
        story.act(name, "draw.committed", {"draw": draw, "commitment": commitment})
    story.wait(window)
    for name in committers[:5]:
        story.act(name, "draw.revealed", {"draw": draw, "secret": _secret(name).hex()})
    story.wait(2 * window)
    result = read_state(
        story.log, lambda state: recompute_draw(draw_evidence(state.draws[draw], beacon=BEACON))
    )
    completion = {"draw": draw, "index": result.index, "panel": list(result.panel), "beacon": BEACON}
    story.act(organiser, "draw.completed", completion)


def _secret(name: str) -> bytes:
    return hashlib.sha256(b"ayllu-demo-draw/" + name.encode()).digest()


def announce(story: Story) -> None:
    story.day(355)
    story.act(
        story.holder("vocalia"),
        "announcement.published",
        {
            "text": (
                "La comisión del tanque de agua quedó sorteada. Sus nombres están en la "
                "página del sorteo; cualquiera puede volver a calcularlo."
            ),
        },
    )


def this_month(story: Story, *, end: int) -> None:
    """The last weeks: the second year's assembly with its minutes, and a question still open."""
    story.now = max(story.now, end - 12 * DAY_MS)
    present = EVERYONE[2:26]
    meeting = convene(story, "Asamblea del segundo año", present=present)
    chair = story.chairs[meeting]
    keeper = story.holder("minute_keeper")
    attend(story, meeting, keeper)
    story.act(
        keeper,
        "agenda.item_added",
        {"meeting": meeting, "kind": "report", "title": "Informe de la delegación a la FEJUVE"},
    )
    delegate = story.holder("delegacion")
    attend(story, meeting, delegate)
    story.act(delegate, "speaker.queued", {"meeting": meeting})
    story.act(chair, "speaker.called", {"meeting": meeting, "member": story.pub(delegate)})
    attend(story, meeting, "justino")
    point = story.act(
        "justino",
        "point_of_order.raised",
        {"meeting": meeting, "text": "Pido que se lea el acta anterior antes de votar."},
    )
    story.act(
        chair,
        "point_of_order.ruled",
        {"meeting": meeting, "point": point, "ruling": "Se acepta: se lee el acta anterior."},
    )
    note(
        story,
        meeting,
        "Se leyó el acta anterior. La delegación informó del ampliado de la FEJUVE sobre la tarifa del agua.",
    )
    _, question = decide_in_meeting(
        story,
        meeting,
        "nelly",
        title="Guardia vecinal los fines de semana",
        text=(
            "Turnos de dos familias cada viernes y sábado por la noche, de 22:00 a "
            "2:00, con silbato y linterna."
        ),
        ballots={
            **everyone_but("oscar", choice="agree", among=present),
            "oscar": "stand_aside",
        },
    )
    story.act(chair, "question.closed", {"question": question})
    note(story, meeting, "Guardia vecinal aprobada por consenso; la familia Chambi se hizo a un lado.")
    story.act(chair, "meeting.closed", {"meeting": meeting})
    story.wait(DAY_MS)
    story.act(
        "carmen",
        "notice.posted",
        {"text": "Se recuerda el turno de agua: cada familia revisa su día en la lista de la sede."},
    )
    # --- open now: a proposal in its question, and one still in deliberation
    story.now = max(story.now, end - 5 * DAY_MS)
    open_now = story.act(
        "hilarion",
        "proposal.tabled",
        {
            "matter": "ordinary",
            "title": "Arreglar la puerta de la sede",
            "text": "La puerta no cierra. Presupuesto del carpintero: 450 Bs de la caja de la junta.",
            "effect": {},
        },
    )
    story.act(
        "ana",
        "comment.posted",
        {"proposal": open_now, "text": "De acuerdo; pidamos también un segundo presupuesto."},
    )
    story.wait(3 * DAY_MS + HOUR_MS)
    # Open for a month from the demo's setup, so a visitor still finds a question to vote on weeks later.
    deadline = end + 32 * DAY_MS
    question = story.act("hilarion", "question.opened", {"proposal": open_now, "deadline": deadline})
    vote(story, question, everyone_but(VISITOR, choice="agree", among=EVERYONE[:9]))
    story.act(
        "gregoria",
        "proposal.tabled",
        {
            "matter": "ordinary",
            "title": "Minka para pintar la escuela",
            "text": "Un sábado de minka para pintar las aulas; la junta compra la pintura.",
            "effect": {},
        },
    )


def write_story(keys: dict[str, Keypair], *, now: int) -> Story:
    """Found the demo assembly and write its history, ending before `now`. The story."""
    start = now - STORY_DAYS * DAY_MS
    story = Story(keys, start, start)
    with clock.held(story.tick):
        found(story)
        first_year(story)
        second_half(story)
        this_month(story, end=now - 2 * DAY_MS)
    return story
