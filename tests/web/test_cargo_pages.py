"""The cargo pages in Spanish and English, read without JavaScript from a record built with the core's
acts: cargos and the turn order with its reasons, mandates and reports, recall, draws by lot and
concentration; the forms a member may use; another assembly's objects are not found here."""

import gzip
import json
import re

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import DomainError
from ayllu.core.sortition import recompute_draw
from ayllu.queries.assembly import read_state
from factories.scenes import (
    NAMES,
    CargoAssembly,
    Clock,
    build_scene,
    clock,
    commit,
    found_cargo_assembly,
    open_draw,
    run_draw,
)
from factories.stored import log_in_as

from .test_translations import phrases, po_entries, visible_text

__all__ = ["clock"]  # the fixture, imported for the tests below

WORDS = {
    "es": {
        "assembly": "asamblea",
        "cargos": "cargos",
        "mandates": "mandatos",
        "recall": "revocatoria",
        "new": "nueva",
        "draws": "sorteos",
        "evidence": "evidencia.json",
        "concentration": "concentracion",
    },
    "en": {
        "assembly": "assembly",
        "cargos": "cargos",
        "mandates": "mandates",
        "recall": "recall",
        "new": "new",
        "draws": "draws",
        "evidence": "evidence.json",
        "concentration": "concentration",
    },
}
PAGES = ["cargos", "mandates", "recall", "draws", "concentration"]


def url(language: str, log: str, *parts: object) -> str:
    w = WORDS[language]
    path = "/".join(str(w.get(str(p), p)) for p in parts)
    end = "" if path.endswith(".json") else "/"
    return f"/{language}/{w['assembly']}/{log}/{path}{end}"


def page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


def text_of(client: Client, language: str, log: str, *parts: object) -> str:
    return visible_text(page(client, url(language, log, *parts)), language=language)


@pytest.fixture
def scene(db: None, clock: Clock) -> CargoAssembly:
    forget_replayed_state()
    return build_scene(clock)


def test_cargos_page_shows_who_holds_what_until_when(client: Client, scene: CargoAssembly) -> None:
    # given
    treasurer = scene.holders("tesoreria")[0]
    # when
    spanish = text_of(client, "es", scene.log, "cargos")
    english = text_of(client, "en", scene.log, "cargos")
    # then
    assert "Quién tiene qué cargo, hasta cuándo" in spanish
    assert "llevar las cuentas" in spanish and "Por turno; periodos de 30 días; carga 2." in spanish
    assert f"{scene.pub(treasurer)[:8]} hasta el 31 de enero de 2026 · por turno" in spanish
    assert "represent the assembly in fejuve" in english and "named at the founding" in english


def test_turn_order_says_why_each_household_serves(client: Client, scene: CargoAssembly) -> None:
    # when
    english = text_of(client, "en", scene.log, "cargos")
    spanish = text_of(client, "es", scene.log, "cargos")
    # then: every coming term names its household and the reason, in words, with every standing
    assert "The turn order for the next 12 months" in english
    assert "It has served least: a load of 0 against 60 for Condori" in english
    assert "the lot drawn from the record for this term puts" in english
    assert "is the only household that may serve this term" in english
    assert "exempt by decision" in english and "resting after serving" in english
    assert "Es la que menos sirvió: una carga de 0 contra 60 de Condori" in spanish
    assert "eximida por decisión" in spanish


def test_a_member_sees_their_households_next_turn_and_the_forms(client: Client, scene: CargoAssembly) -> None:
    # given: bea, of the Mamani household
    log_in_as(client, scene.log, scene.keys["bea"])
    # when
    html = page(client, url("en", scene.log, "cargos"))
    text = visible_text(html, language="en")
    # then
    assert "Your household: Mamani" in text and "Your next turn: tesoreria" in text
    assert 'href="#turn-tesoreria-' in html
    assert 'data-type="cargo.swap_proposed"' in html
    assert 'data-type="proposal.tabled"' in html and 'name="body.matter" value="exemption"' in html
    assert "Cuida a su madre" in text  # the exemption in force, with its reason


@pytest.mark.parametrize(
    ("language", "said"),
    [("es", "Usted ocupa el cargo delegacion hasta el "), ("en", "You hold the cargo delegacion until ")],
)
def test_the_holder_of_a_cargo_reads_that_they_hold_it_and_until_when(
    client: Client, scene: CargoAssembly, language: str, said: str
) -> None:
    # given: the delegate, logged in, and another member who holds nothing
    delegate = scene.holders("delegacion")[0]
    other = next(n for n in NAMES if n not in scene.holders("delegacion") + scene.holders("tesoreria"))
    home = f"/{language}/{WORDS[language]['assembly']}/{scene.log}/"
    log_in_as(client, scene.log, scene.keys[delegate])
    # when
    cargos = text_of(client, language, scene.log, "cargos")
    now = visible_text(page(client, home), language=language)
    log_in_as(client, scene.log, scene.keys[other])
    others = text_of(client, language, scene.log, "cargos")
    # then: on the cargos page and on "Now"
    assert said in cargos and said in now
    assert said not in others


def test_the_cargos_page_shows_who_holds_what_then_the_next_turns_and_folds_the_rest(
    client: Client, scene: CargoAssembly
) -> None:
    # when
    html = page(client, url("en", scene.log, "cargos"))
    # then: the holders come first, then the next four terms; the rest of the year is folded away
    holders, ahead = html.index('id="holders-title"'), html.index('id="ahead-title"')
    folded = html.index('<details class="panel turns-more"')
    assert holders < ahead < folded
    assert html[ahead:folded].count('<li class="turn') == 4
    later = html[folded:].count('<li class="turn')
    assert later > 0 and f"The whole forecast: {later} more terms" in visible_text(html, language="en")
    assert html.index("How the next household is chosen") > folded  # the explanation after the turns
    # and each standing is labelled, for a phone's stacked rows
    assert 'data-label="Load"' in html and 'data-label="Lot"' in html


def test_the_forecast_opens_when_the_readers_next_turn_is_folded_away(
    client: Client, scene: CargoAssembly
) -> None:
    # given: each member, logged in
    for name in NAMES:
        log_in_as(client, scene.log, scene.keys[name])
        # when
        html = page(client, url("en", scene.log, "cargos"))
        # then: the link to their next turn reaches a turn that is shown
        link = re.search(r'href="#(turn-[^"]+)"', html)
        if link is None:
            continue
        folded = html.find('<details class="panel turns-more"')
        inside = folded != -1 and html.index(f'id="{link[1]}"') > folded
        assert ('<details class="panel turns-more" open>' in html) == inside, name


def test_the_key_beside_a_household_in_the_turn_order_has_no_stray_space(
    client: Client, scene: CargoAssembly
) -> None:
    # when
    html = page(client, url("es", scene.log, "cargos"))
    # then: "casa-1 · a3496133", not "casa-1 (a3496133 (usted))" nor a space before what follows
    assert re.search(
        r'</bdi> · <span class="person"><code class="person__key" title="\w+">\w{8}</code></span>', html
    )
    assert not re.search(r"</span>\s+[),]", html) and not re.search(r"\(<span class=\"person\">", html)


def test_a_swap_offer_shows_the_accept_form_only_to_the_other_household(
    client: Client, scene: CargoAssembly
) -> None:
    # given: Mamani offers Quispe a swap in the treasury's turns
    offer = scene.act("bea", "cargo.swap_proposed", {"cargo": "tesoreria", "household": "Quispe"})
    # when
    log_in_as(client, scene.log, scene.keys["carla"])
    theirs = page(client, url("en", scene.log, "cargos"))
    other_client = Client()
    log_in_as(other_client, scene.log, scene.keys["dora"])
    others = page(other_client, url("en", scene.log, "cargos"))
    # then
    assert "Mamani offers Quispe to swap turns in the cargo tesoreria." in visible_text(theirs, language="en")
    assert f'name="body.swap" value="{offer}"' in theirs
    assert 'data-type="cargo.swap_accepted"' not in others


def test_when_a_term_ends_the_next_household_holds_the_cargo(
    client: Client, scene: CargoAssembly, clock: Clock
) -> None:
    # given: the forecast names the next treasurer's household
    before = text_of(client, "en", scene.log, "cargos")
    assert "Your household" not in before
    # when: the term ends and an entry is recorded after it
    clock.advance(25 * DAY_MS)
    scene.act("ana", "notice.posted", {"text": "fin de mes"})
    # then: the holder is the household the forecast named, and its member sees it as theirs
    treasurer = scene.holders("tesoreria")[0]
    assert treasurer == "bea"
    log_in_as(client, scene.log, scene.keys["bea"])
    text = text_of(client, "en", scene.log, "cargos")
    assert f"{scene.pub('bea')[:8]} (you) until March 2, 2026 · by turn" in text


def test_mandates_page_shows_positions_flagged_votes_and_overdue_reports(
    client: Client, scene: CargoAssembly
) -> None:
    # when
    spanish = text_of(client, "es", scene.log, "mandates")
    english = text_of(client, "en", scene.log, "mandates")
    # then
    assert "Sobre «Tarifa del agua»: En contra" in spanish  # the position "no" in words
    assert "Un voto de un delegado en fejuve sobre «Nuevo peaje» (A favor) fue sin mandato." in spanish
    assert "El informe de la sesión «marzo» de fejuve está atrasado" in spanish
    assert "cast through ayllu" in english and "reported by a member" in english
    assert "report overdue" in english


def test_the_delegate_files_the_report_and_the_flag_goes(client: Client, scene: CargoAssembly) -> None:
    # given: the delegate, logged in, sees the forms of a delegate
    delegate = scene.holders("delegacion")[0]
    log_in_as(client, scene.log, scene.keys[delegate])
    html = page(client, url("en", scene.log, "mandates"))
    assert 'data-type="delegate.report_filed"' in html and 'data-type="delegate.voted"' in html
    # when
    text = "Votamos no a la tarifa, como mandó la asamblea."
    scene.act(delegate, "delegate.report_filed", {"body": "fejuve", "session": "marzo", "text": text})
    # then
    after = text_of(client, "en", scene.log, "mandates")
    assert text in after and "Report filed by" in after
    assert "is overdue" not in after and "report overdue" not in after


def test_a_delegate_abstains_by_a_choice_and_the_record_shows_the_word_in_each_language(
    client: Client, scene: CargoAssembly
) -> None:
    # given: the delegate's vote form offers abstaining as a choice, not as a word to type
    delegate = scene.holders("delegacion")[0]
    log_in_as(client, scene.log, scene.keys[delegate])
    html = page(client, url("es", scene.log, "mandates"))
    form = html[html.index('data-type="delegate.voted"') :]
    form = form[: form.index("</form>")]
    assert (
        '<select name="body.choice" required>' in form
        and '<option value="abstain">Me abstengo</option>' in form
    )
    assert 'name="body.choice" required maxlength' not in form  # no free text the rules would read
    # when: the delegate abstains on a question without a mandate (what the form's choice sends)
    vote = {"body": "fejuve", "session": "abril", "question": "Nuevo horario", "choice": "abstain"}
    scene.act(delegate, "delegate.voted", vote)
    # then: the record keeps the code and each language shows its word
    spanish = text_of(client, "es", scene.log, "mandates")
    english = text_of(client, "en", scene.log, "mandates")
    assert "Nuevo horario abstención" in spanish and "Nuevo horario abstention" in english
    assert "abstain" not in spanish
    # and how the vote was cast reads apart from the vote ("no emitido por ayllu" read as "not cast")
    assert "<strong>abstención</strong>" in page(client, url("es", scene.log, "mandates"))


def test_a_delegate_who_types_abstenerse_is_refused_with_the_reason(
    client: Client, scene: CargoAssembly
) -> None:
    # given
    delegate = scene.holders("delegacion")[0]
    vote = {"body": "fejuve", "session": "abril", "question": "Nuevo horario", "choice": "abstenerse"}
    # when / then: only the form's code means abstaining; anything else without a mandate is refused
    with pytest.raises(DomainError) as refused:
        scene.act(delegate, "delegate.voted", vote)
    assert refused.value.code == "no_mandate"


def test_a_member_who_is_not_a_delegate_gets_no_delegate_forms(client: Client, scene: CargoAssembly) -> None:
    # given
    delegate = scene.holders("delegacion")[0]
    other = next(n for n in NAMES if n != delegate)
    log_in_as(client, scene.log, scene.keys[other])
    # when
    html = page(client, url("en", scene.log, "mandates"))
    # then
    assert 'data-type="delegate.voted"' not in html and 'data-type="delegate.report_filed"' not in html
    assert 'data-type="delegate.session_held"' in html and 'value="mandate"' in html


def test_recall_page_counts_signatures_against_the_threshold(client: Client, scene: CargoAssembly) -> None:
    # given: a member who has not signed
    treasurer = scene.holders("tesoreria")[0]
    log_in_as(client, scene.log, scene.keys["eva"])
    # when
    html = page(client, url("es", scene.log, "recall"))
    text = visible_text(html, language="es")
    # then
    assert "No rinde cuentas de la caja." in text and "1 de 3 firmas" in text
    assert '<progress id="progress-' in html and 'max="3" value="1"' in html
    assert 'data-type="recall.signed"' in html
    # ask to recall a holder: not the treasurer, whose recall is already open (the core would refuse it)
    delegate = scene.holders("delegacion")[0]
    assert f"miembro={scene.pub(delegate)}" in html and f"miembro={scene.pub(treasurer)}" not in html
    assert "la revocatoria se aprueba con al menos 50 % de los votos emitidos" in text


def test_at_the_threshold_the_vote_opens_and_the_holder_gets_no_ballot(
    client: Client, scene: CargoAssembly
) -> None:
    # given: two more members sign
    treasurer = scene.holders("tesoreria")[0]
    signed = read_state(scene.log, lambda s: s.recall_petitions[scene.ids["petition"]].signers)
    signers = [n for n in NAMES if n != treasurer and scene.pub(n) not in signed and n != "carla"][:2]
    for name in signers:
        scene.act(name, "recall.signed", {"petition": scene.ids["petition"]})
    # when
    log_in_as(client, scene.log, scene.keys[treasurer])
    mine = page(client, url("en", scene.log, "recall"))
    other_client = Client()
    log_in_as(other_client, scene.log, scene.keys["carla"])
    theirs = page(other_client, url("en", scene.log, "recall"))
    # then
    assert "The assembly is voting" in visible_text(theirs, language="en")
    assert 'data-type="vote.cast"' in theirs
    assert 'data-type="vote.cast"' not in mine
    assert "You are the person this recall is about" in visible_text(mine, language="en")


def test_a_recall_ballot_is_offered_until_the_deadline_and_never_after(
    client: Client, scene: CargoAssembly, clock: Clock
) -> None:
    # given: the recall vote is open, and a member who has not voted
    treasurer = scene.holders("tesoreria")[0]
    signed = read_state(scene.log, lambda s: s.recall_petitions[scene.ids["petition"]].signers)
    for name in [n for n in NAMES if n != treasurer and scene.pub(n) not in signed and n != "carla"][:2]:
        scene.act(name, "recall.signed", {"petition": scene.ids["petition"]})
    question = read_state(scene.log, lambda s: s.recall_petitions[scene.ids["petition"]].question)
    deadline = read_state(scene.log, lambda s: s.questions[question].deadline)
    log_in_as(client, scene.log, scene.keys["carla"])
    # when the page is read before the deadline, then after it
    before = page(client, url("en", scene.log, "recall"))
    clock.advance(deadline - clock.now + 1)
    after = page(client, url("en", scene.log, "recall"))
    # then the ballot is offered before and not after (the core refuses it with vote_after_deadline),
    # and closing the vote is offered once the deadline has passed
    assert 'data-type="vote.cast"' in before and 'data-type="question.closed"' not in before
    assert 'data-type="vote.cast"' not in after and 'data-type="question.closed"' in after


def test_recall_form_names_the_holder_and_needs_a_reason(client: Client, scene: CargoAssembly) -> None:
    # given
    delegate = scene.holders("delegacion")[0]
    assert delegate != "eva"
    log_in_as(client, scene.log, scene.keys["eva"])
    # when
    html = page(
        client, url("en", scene.log, "recall", "new") + f"?cargo=delegacion&member={scene.pub(delegate)}"
    )
    # then
    assert 'data-type="recall.petitioned"' in html
    assert f'name="body.member" value="{scene.pub(delegate)}"' in html
    assert '<textarea name="body.reason" rows="5" required' in html


def test_no_recall_form_while_a_petition_against_the_holder_is_open(
    client: Client, scene: CargoAssembly
) -> None:
    # given: the treasurer's recall petition is open (the core refuses a second one)
    treasurer = scene.holders("tesoreria")[0]
    log_in_as(client, scene.log, scene.keys["eva"])
    # when
    html = page(
        client, url("en", scene.log, "recall", "new") + f"?cargo=tesoreria&member={scene.pub(treasurer)}"
    )
    # then
    assert 'data-type="recall.petitioned"' not in html


def test_draw_page_shows_everything_to_recompute_it(client: Client, scene: CargoAssembly) -> None:
    # given
    draw = scene.ids["draw"]
    # when
    listing = text_of(client, "es", scene.log, "draws")
    text = text_of(client, "en", scene.log, "draws", draw)
    # then
    assert (
        "Comisión de agua" in listing
        and "sorteado" in listing
        and "3 lugares entre 6 participantes" in listing
    )
    assert "The panel drawn" in text and "Panel number" in text and "of the list of 100" in text
    assert "zona" in text and "norte" in text and "At least" in text
    assert "withheld" in text and "drand-quicknet #12345" in text
    assert "Download the evidence (JSON)" in text and "recompute_draw" in text


def test_evidence_download_recomputes_the_panel_shown(client: Client, scene: CargoAssembly) -> None:
    # given
    draw = scene.ids["draw"]
    # when
    response = client.get(url("es", scene.log, "draws", draw, "evidence"))
    evidence = json.loads(response.content)
    # then
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    result = recompute_draw(evidence)
    assert list(result.panel) == evidence["panel"] and result.index == evidence["index"]
    shown = text_of(client, "en", scene.log, "draws", draw)
    assert all(member[:8] in shown for member in result.panel)


def test_an_unfinished_draw_has_no_evidence_yet(client: Client, db: None, clock: Clock) -> None:
    # given
    forget_replayed_state()
    asm = found_cargo_assembly(clock)
    draw = run_draw(asm, complete=False)
    clock.advance(120_000)
    # when
    text = text_of(client, "en", asm.log, "draws", draw)
    response = client.get(url("en", asm.log, "draws", draw, "evidence"))
    # then
    assert "waiting for the public beacon" in text and "Download the evidence" not in text
    assert response.status_code == 404


def test_concentration_shows_measures_charts_and_alerts(client: Client, scene: CargoAssembly) -> None:
    # when
    html = page(client, url("en", scene.log, "concentration"))
    text = visible_text(html, language="en")
    spanish = text_of(client, "es", scene.log, "concentration")
    # then: the charter's single-share limit is passed somewhere, and shown first
    assert "The charter's limits are passed" in text
    assert "One holds a larger share than the charter allows." in text
    assert "Cargo terms served" in text and "Speaking turns" in text and "per household" in text
    assert "Gini coefficient" in text and "Top tenth" in text and "Breadth" in text
    # and each chart is an accessible SVG with its numbers as text too
    assert html.count('<svg class="chart" role="img"') >= 4
    assert re.search(r'<title id="role_term-person-title">Cargo terms served, share per person</title>', html)
    assert "Every share, as a table" in text
    assert "Se pasaron los límites del estatuto" in spanish and "Turnos de palabra" in spanish


def test_concentration_period_can_be_chosen(client: Client, scene: CargoAssembly) -> None:
    # when
    html = page(client, url("en", scene.log, "concentration") + "?months=3")
    # then
    assert '<a href="?months=3" aria-current="true">' in html


@pytest.mark.parametrize("subject", PAGES)
def test_an_unknown_assembly_is_not_found(client: Client, db: None, subject: str) -> None:
    # when
    response = client.get(url("en", "0" * 64, subject))
    # then
    assert response.status_code == 404


def test_another_assemblys_draw_is_not_found_here(client: Client, scene: CargoAssembly, clock: Clock) -> None:
    # given: a second assembly without draws
    other = found_cargo_assembly(clock, name="Junta Vecinal Santa Rosa")
    draw = scene.ids["draw"]
    # when
    for language in ("es", "en"):
        page_response = client.get(url(language, other.log, "draws", draw))
        evidence_response = client.get(url(language, other.log, "draws", draw, "evidence"))
        # then
        assert page_response.status_code == 404 and evidence_response.status_code == 404
    assert client.get(url("en", scene.log, "draws", draw)).status_code == 200


@pytest.mark.parametrize(("language", "other_language"), [("es", "en"), ("en", "es")])
def test_cargo_pages_do_not_mix_languages(
    client: Client, scene: CargoAssembly, language: str, other_language: str
) -> None:
    # given: logged in, so that every form shows
    log_in_as(client, scene.log, scene.keys[scene.holders("delegacion")[0]])
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    spanish = {p for _, strs, _ in po_entries("es") for s in strs for p in phrases(s)}
    foreign = english - spanish if language == "es" else spanish - english
    addresses = [url(language, scene.log, p) for p in PAGES]
    addresses.append(url(language, scene.log, "draws", scene.ids["draw"]))
    for address in addresses:
        # when
        text = visible_text(page(client, address), language=language)
        # then
        leaks = sorted(p for p in foreign if p in text)
        assert leaks == [], f"{address} shows {other_language}: {leaks}"


def test_cargo_pages_have_no_inline_script_or_style_and_fit_the_budget(
    client: Client, scene: CargoAssembly
) -> None:
    # given
    log_in_as(client, scene.log, scene.keys["bea"])
    for subject in PAGES:
        # when
        html = page(client, url("es", scene.log, subject))
        # then
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), subject
        assert " style=" not in html and "<style" not in html, subject
        assert len(gzip.compress(html.encode())) < 60_000, subject


def test_now_lists_a_recall_petition_to_sign_and_a_draw_to_take_part_in(
    db: None, client: Client, clock: Clock
) -> None:
    # given: the scene without its draw, then a draw open for commitments
    forget_replayed_state()
    scene = build_scene(clock, draw=False)
    draw = open_draw(scene, window_ms=DAY_MS)
    treasurer = scene.holders("tesoreria")[0]
    signed = read_state(scene.log, lambda s: {m for p in s.recall_petitions.values() for m in p.signers})
    reader = next(n for n in NAMES if n != treasurer and scene.pub(n) not in signed)
    log_in_as(client, scene.log, scene.keys[reader])
    # when
    html = page(client, f"/es/asamblea/{scene.log}/")
    # then: both wait for her on "Now", linked to where she acts
    text = visible_text(html, language="es")
    assert "Una petición de revocatoria del cargo de" in text and "Lea el motivo y fírmelo" in text
    assert "Un sorteo: aporte su parte antes del" in text
    assert f"/sorteos/{draw}/" in html
    assert "Nada espera su respuesta" not in text


def test_now_lists_a_secret_to_reveal_and_a_report_to_file(db: None, client: Client, clock: Clock) -> None:
    # given: a draw whose commitments closed, with the delegate's part committed, and the delegate's
    # report on the session "marzo" not filed yet
    forget_replayed_state()
    scene = build_scene(clock, draw=False)
    draw = open_draw(scene, window_ms=DAY_MS)
    delegate = scene.holders("delegacion")[0]
    commit(scene, draw, delegate)
    clock.advance(DAY_MS + 1000)
    log_in_as(client, scene.log, scene.keys[delegate])
    # when
    html = page(client, f"/es/asamblea/{scene.log}/")
    # then: both wait for the delegate on "Now", linked to where they act
    text = visible_text(html, language="es")
    assert "Un sorteo: revele su parte desde este dispositivo antes del" in text
    assert f"/sorteos/{draw}/" in html
    assert "Su informe a la asamblea sobre una sesión de fejuve" in text and "marzo" in text
    assert "/mandatos/#sesion-" in html
    # and once the report is filed, it no longer waits
    scene.act(
        delegate, "delegate.report_filed", {"body": "fejuve", "session": "marzo", "text": "Votamos no."}
    )
    assert "Su informe a la asamblea" not in visible_text(
        page(client, f"/es/asamblea/{scene.log}/"), language="es"
    )


def test_now_lists_no_secret_to_reveal_to_a_member_who_did_not_commit(
    db: None, client: Client, clock: Clock
) -> None:
    # given: a draw whose commitments closed, without this member's part
    forget_replayed_state()
    scene = build_scene(clock, draw=False)
    draw = open_draw(scene, window_ms=DAY_MS)
    committed, other = "ana", next(n for n in NAMES if n != "ana")
    commit(scene, draw, committed)
    clock.advance(DAY_MS + 1000)
    log_in_as(client, scene.log, scene.keys[other])
    # when
    text = visible_text(page(client, f"/es/asamblea/{scene.log}/"), language="es")
    # then
    assert "Un sorteo: revele su parte" not in text


def test_now_lists_a_delegates_request_for_a_mandate_until_the_assembly_decides_one(
    client: Client, scene: CargoAssembly
) -> None:
    # given: the delegate asks for a mandate on a question the assembly has not decided, and on one it has
    delegate = scene.holders("delegacion")[0]
    asked = {"body": "fejuve", "question": "Peaje nuevo", "text": "¿Qué posición llevo?"}
    scene.act(delegate, "mandate.requested", asked)
    scene.act(delegate, "mandate.requested", {**asked, "question": "Tarifa del agua"})
    reader = next(n for n in NAMES if n != delegate)
    # when another member reads "Now", in each language
    log_in_as(client, scene.log, scene.keys[reader])
    html = page(client, f"/es/asamblea/{scene.log}/")
    spanish = visible_text(html, language="es")
    english = visible_text(page(client, f"/en/assembly/{scene.log}/"), language="en")
    # then the undecided request waits for them, linked to the mandates page; the decided one does not
    assert "Un delegado pide un mandato a la asamblea" in spanish and "Peaje nuevo" in spanish
    assert "Lea el pedido y trátelo con la asamblea." in spanish
    assert html.count("data-ayllu-mandate-asked=") == 1 and f"/es/asamblea/{scene.log}/mandatos/" in html
    assert "A delegate asks the assembly for a mandate" in english and "Peaje nuevo" in english
    # and the delegate who asked is not asked back
    log_in_as(client, scene.log, scene.keys[delegate])
    assert "data-ayllu-mandate-asked=" not in page(client, f"/es/asamblea/{scene.log}/")
