"""The council walk's steps: what a member does in the browser, shared by the walk and the flow tests.

A `Walk` holds one scene's pages (one browser context per member, each with its own device key), all in
one language at one viewport. Every act goes through the page a member would use; labels are the
English msgids translated into the walk's language by the node's own catalogue, so the same steps walk
a Spanish phone and an English desktop. `Walk.step` checks the page a member is looking at (axe, no
sideways scroll, no console error, no request to another host) and keeps a screenshot of it in
docs/screenshots/walk-<scene>-<nn>-<step>.png.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation

from ayllu.web.address_words import query_name

from .browsing import TARGETS, assert_accessible, log_in

WAIT_MS = 15_000
NEW_HOUSEHOLD = (
    "Name of your new household (a short name the assembly knows it by, such as street and number; leave it "
    "blank when you join the household of the member who invites you)"
)
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def press(page: Any, name: str) -> None:
    """Press a button that takes the page elsewhere (a founding step, a signed act) and wait for it."""
    button = page.get_by_role("button", name=name, exact=True)
    button.wait_for(state="visible", timeout=WAIT_MS)
    with page.expect_navigation(timeout=WAIT_MS):
        button.click()


def sign(page: Any, button: str, *, within: Any = None) -> None:
    """Press a signed act form's button and wait until the act is recorded and the page moves on.

    The button is pressed once act-form.js has bound its form (`data-bound`): pressed before, on a slow
    machine, the browser would send the form itself instead of signing it."""
    target = (within or page).get_by_role("button", name=button, exact=True)
    target.wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_function(
        "b => !b.form || !b.form.hasAttribute('data-ayllu-act') || b.form.dataset.bound === '1'",
        arg=target.element_handle(),
        timeout=WAIT_MS,
    )
    with page.expect_navigation(timeout=WAIT_MS):
        target.click()


def create_device_key(page: Any, button: str) -> str:
    """Create this device's key on a page that offers it (set-up, invitation); return its public key."""
    page.get_by_role("button", name=button).click()
    page.wait_for_selector("[data-ayllu-device][data-state=ready]", timeout=WAIT_MS)
    return str(page.locator("[data-ayllu-public-hex]").inner_text().strip())


@dataclass
class Walk:
    """One scene of the walk: its pages, its language and viewport, and what went wrong on the way."""

    scene: str
    server: str
    language: str
    viewport: dict[str, int]
    new_page: Any
    log: str = ""
    problems: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    steps: int = 0
    # where the screenshots go: docs/screenshots/walk-<scene>-<nn>-<step>.png by default,
    # <shots>/<scene>-<nn>-<step>.png when given
    shots: Path | None = None

    def t(self, msgid: str) -> str:
        """`msgid` in the walk's language, as the node says it."""
        with translation.override(self.language):
            return translation.gettext(msgid)

    def url(self, name: str, **kwargs: Any) -> str:
        """The address of page `name` of the walk's assembly, in the walk's language."""
        if self.log and "log" not in kwargs and name not in ("found", "logout"):
            kwargs["log"] = self.log
        with translation.override(self.language):
            return self.server + reverse(f"web:{name}", kwargs=kwargs)

    def q(self, name: str) -> str:
        """Query name `name` (a code) as the walk's language writes it in an address."""
        with translation.override(self.language):
            return query_name(name)

    def open(self) -> Any:
        """A new device: a browser context of its own, watched for errors and other hosts."""
        page = self.new_page(self.viewport, axe=True)
        page.set_default_timeout(WAIT_MS)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error" and self.problems.append(f"{page.url}: console: {message.text}")
            ),
        )
        page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))
        return page

    def step(self, page: Any, name: str) -> None:
        """Check the page a member is looking at, and keep a screenshot of it."""
        self.steps += 1
        page.wait_for_load_state("networkidle")
        assert_accessible(
            page,
            f"{name}: {page.url}",
            self.viewport,
            targets=TARGETS + ", main summary",
            skip_checkboxes=True,
        )
        assert self.problems == [], (name, self.problems)
        assert self.hosts <= {urlsplit(self.server).netloc}, (name, self.hosts)
        folder, prefix = (SHOTS, "walk-") if self.shots is None else (self.shots, "")
        folder.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        # what a member sees in the first three screens: enough to judge the page, not megabytes of it
        height = min(page.evaluate("document.documentElement.scrollHeight"), 3 * self.viewport["height"])
        page.screenshot(
            path=str(folder / f"{prefix}{self.scene}-{self.steps:02d}-{name}.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": self.viewport["width"], "height": height},
        )

    def log_in(self, page: Any) -> None:
        """Log in with the key this device holds, and land on the assembly's home page."""
        log_in(page, self.server, self.log, language=self.language)
        page.wait_for_url(re.compile(re.escape(self.url("assembly")) + "$"), timeout=WAIT_MS)

    def tr(self, msgid: str, **params: Any) -> str:
        """A msgid with placeholders (`Option %(n)s`), translated and filled."""
        return self.t(msgid) % params


# --- founding and admission ---------------------------------------------------------------------------
def found_in_browser(w: Walk, name: str, households: list[str]) -> list[Any]:
    """Found an assembly, each founder on their own device; return their pages, each logged in."""
    pages = [w.open() for _ in households]
    first = pages[0]
    first.goto(w.url("found"))
    w.step(first, "found-start")
    first.get_by_label(w.t("Name of the assembly")).fill(name)
    first.get_by_label(w.t("Households of the founders, one per line, yours first")).fill(
        "\n".join(households)
    )
    press(first, w.t("Start the founding"))
    links = [urlsplit(u.strip()).path for u in first.locator(".founding-link").all_inner_texts()]
    # each founder's link is passed on with one button: copy (and share, where the phone has a share sheet)
    first.locator("[data-ayllu-copy-button]").first.wait_for(state="visible")
    assert first.locator("[data-ayllu-copy-button]").count() == len(households)
    for page, link in zip(pages, links, strict=True):
        page.goto(w.server + link)
        press(page, w.t("Create this device's key"))
    for page in pages:
        page.reload()
        if page is first:
            w.step(first, "found-endorse")
        press(page, w.t("Endorse the founding"))
    first.reload()
    press(first, w.t("Sign the founding act"))
    home = re.compile(r"/(asamblea|assembly)/([^/]+)/$")
    first.wait_for_url(home, timeout=WAIT_MS)
    w.log = home.search(first.url).group(2)  # type: ignore[union-attr]
    w.step(first, "founded")
    for page in pages[1:]:
        w.log_in(page)
    return pages


def log_in_with_key(w: Walk, key: Any) -> Any:
    """A member's own device, holding their key, logged in (for assemblies the factories built)."""
    from .browsing import put_key_on_device

    page = w.open()
    page.goto(w.url("login"))
    put_key_on_device(page, w.log, seed=key.seed().hex(), public=key.public)
    w.log_in(page)
    return page


def admit_by_invitation(w: Walk, inviter: Any, sponsors: list[Any], *, household: str) -> tuple[Any, str]:
    """A member makes an invitation link; a newcomer opens it on a new phone, makes a key and applies;
    members sponsor them on the members' page; the newcomer logs in. Returns the page and the key."""
    inviter.goto(w.url("invitations"))
    with inviter.expect_navigation(timeout=WAIT_MS):
        inviter.get_by_role("button", name=w.t("Make an invitation link")).click()
    link = inviter.locator("[data-ayllu-share-url]").inner_text().strip()
    w.step(inviter, "invitation-link")
    newcomer = w.open()
    newcomer.goto(link)
    public = create_device_key(newcomer, w.t("Create the key for this device"))
    newcomer.get_by_label(w.t(NEW_HOUSEHOLD)).fill(household)
    w.step(newcomer, "invitation-apply")
    newcomer.get_by_role("button", name=w.t("Apply to join")).click()
    newcomer.wait_for_selector("form[data-type='member.applied'][data-state=recorded]", timeout=WAIT_MS)
    for page in sponsors:
        page.goto(w.url("members"))
        card = page.locator("li.card", has=page.locator(f"input[value='{public}']"))
        if page is sponsors[0]:
            w.step(page, "members-sponsor")
        sign(page, w.t("Sponsor"), within=card)
    w.log_in(newcomer)
    w.step(newcomer, "newcomer-home")
    return newcomer, public


# --- a meeting and its questions ----------------------------------------------------------------------
def convene(w: Walk, convenor: Any, present: list[Any], *, title: str) -> str:
    """The convenor convenes a meeting; every member in `present` signs in as present. Returns the
    meeting's address in the walk's language."""
    convenor.goto(w.url("meetings"))
    convenor.get_by_label(w.t("What the meeting is for")).fill(title)
    w.step(convenor, "meeting-convene")
    sign(convenor, w.t("Convene"))
    convenor.get_by_role("link", name=title).click()
    meeting = convenor.url
    for page in present:
        if page is not convenor:
            page.goto(meeting)
        sign(page, w.t("Sign in as present"))
    convenor.reload()
    w.step(convenor, "meeting-open")
    return str(meeting)


def table(w: Walk, page: Any, meeting: str, *, title: str, text: str = "", options: list[str] = ()) -> str:
    """Table a proposal in the meeting (a choice when it has options); return its address."""
    page.goto(meeting)
    page.get_by_role("link", name=w.t("Table a proposal in this meeting")).click()
    if options:
        page.get_by_label(w.t("Kind")).select_option("choice")
        for n, option in enumerate(options, start=1):
            page.get_by_label(w.tr("Option %(n)s", n=n), exact=True).fill(option)
    page.get_by_label(w.t("Title")).fill(title)
    if text:
        page.get_by_label(w.t("What you propose")).fill(text)
    sign(page, w.t("Table the proposal"))
    return str(page.url)


def open_question(w: Walk, chair: Any, proposal: str) -> None:
    """The chair opens the question on the proposal's page."""
    chair.goto(proposal)
    sign(chair, w.t("Open the question"))


def answer(w: Walk, pages: list[Any], proposal: str, button: str) -> None:
    """Each member presses the same ballot button on the proposal's page."""
    for page in pages:
        page.goto(proposal)
        sign(page, w.t(button), within=page.locator(".panel--decide"))


def close_question(w: Walk, chair: Any, proposal: str) -> str:
    """The chair closes the question; return the outcome as it reads."""
    chair.goto(proposal)
    sign(chair, w.t("Close the question"))
    return str(chair.locator(".outcome").last.inner_text())


def object_and_answer(w: Walk, objector: Any, proposer: Any, proposal: str) -> None:
    """The objector raises a reasoned objection, the proposer answers it, the objector withdraws it."""
    objector.goto(proposal)
    objector.get_by_label(w.t("Raise an objection, with your reason")).fill("Falta decir cuánto cuesta.")
    sign(objector, w.t("Object"))
    proposer.goto(proposal)
    proposer.get_by_label(w.t("Answer this objection")).fill("Son 300 Bs., ya reunidos en la caja.")
    w.step(proposer, "consent-objection")
    sign(proposer, w.t("Send the answer"))
    objector.reload()
    sign(objector, w.t("Withdraw my objection"))


def block(w: Walk, page: Any, proposal: str, *, reason: str) -> None:
    """Block a question decided by consensus, with a reason."""
    page.goto(proposal)
    panel = page.locator(".panel--decide")
    panel.get_by_label(w.t("Why you block (required)")).fill(reason)
    sign(page, w.t("Block"), within=panel)


def rank(w: Walk, page: Any, proposal: str, order: list[str]) -> None:
    """Put the options in order on a ranked ballot and cast it."""
    page.goto(proposal)
    for n, option in enumerate(order, start=1):
        page.get_by_label(w.tr("Place %(n)s", n=n)).select_option(option)
    sign(page, w.t("Cast my vote"))


def approve(w: Walk, page: Any, proposal: str, options: list[str]) -> None:
    """Tick every option the member accepts on an approval ballot and cast it."""
    page.goto(proposal)
    panel = page.locator(".panel--decide")
    for option in options:
        panel.get_by_label(option, exact=True).check()
    sign(page, w.t("Cast my vote"), within=panel)


def amend_methods(w: Walk, page: Any, meeting_id: str, methods: dict[str, str]) -> str:
    """Table, in the meeting, a charter amendment that changes how some matters are decided; return
    the proposal's address."""
    page.goto(w.url("new_matter_proposal", matter="charter_amendment") + f"?{w.q('meeting')}={meeting_id}")
    page.get_by_text(w.t("How each matter is decided")).click()
    for matter, method in methods.items():
        page.locator(f"select[name='{w.q(f'methods.{matter}.method')}']").select_option(method)
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name=w.t("See what changes")).click()
    w.step(page, "charter-amendment")
    sign(page, w.t("Table the amendment"))
    return str(page.url)


def create_cargo(w: Walk, page: Any, meeting_id: str, *, cargo: str, body: str) -> str:
    """Table, in the meeting, the creation of a cargo that represents the assembly in `body`."""
    page.goto(w.url("new_matter_proposal", matter="cargo_creation") + f"?{w.q('meeting')}={meeting_id}")
    page.get_by_label(w.t("Name of the cargo")).fill(cargo)
    page.get_by_label(w.t("Represent the assembly in another body (optional): which one")).fill(body)
    page.get_by_label(w.t("Length of each term, in days")).fill("30")
    w.step(page, "cargo-creation")
    sign(page, w.t("Table the proposal"))
    return str(page.url)


def close_meeting(w: Walk, chair: Any, meeting: str) -> None:
    """The chair closes the meeting, then reads its minutes."""
    chair.goto(meeting)
    sign(chair, w.t("Close the meeting"))
    chair.goto(meeting)
    chair.get_by_role("link", name=w.t("Read the minutes")).click()
    w.step(chair, "minutes")


# --- cargos, mandates, recall -------------------------------------------------------------------------
def propose_mandate(w: Walk, page: Any, *, question: str, position: str) -> str:
    """Table a mandate from the mandates page (between meetings); return the proposal's address."""
    page.goto(w.url("mandates"))
    page.get_by_text(w.t("Propose a mandate")).click()
    form = page.locator("form[data-ayllu-effect-form]")
    form.get_by_label(w.t("Question")).fill(question)
    form.get_by_label(w.t("The assembly's position")).fill(position)
    w.step(page, "mandate-propose")
    sign(page, w.t("Table the proposal"), within=form)
    return str(page.url)


def delegate_votes_and_reports(w: Walk, delegate: Any, *, session: str, question: str, position: str) -> None:
    """The delegate casts the mandated vote in a session of the body, then reports on the session."""
    delegate.goto(w.url("mandates"))
    voting = delegate.locator("form[data-type='delegate.voted']")
    voting.get_by_label(w.t("Session")).fill(session)
    voting.get_by_label(w.t("Question")).fill(question)
    voting.get_by_label(w.t("Your vote")).select_option(position)
    w.step(delegate, "delegate-vote")
    sign(delegate, w.t("Cast the vote"), within=voting)
    report = delegate.locator(f"form[data-type='delegate.report_filed']:has(input[value='{session}'])")
    report.get_by_label(w.t("Your report to the assembly")).fill(
        f"Votamos «{position}» sobre «{question}», como mandó la asamblea."
    )
    sign(delegate, w.t("File the report"), within=report)
    w.step(delegate, "delegate-report")


def recall(
    w: Walk, petitioner: Any, signers: list[Any], voters: list[Any], *, cargo: str, member: str, clock: Any
) -> None:
    """A member asks to recall `member` from `cargo`; others sign until the vote opens; the voters vote
    in favour and the petitioner closes the count."""
    petitioner.goto(w.url("recall"))
    petitioner.locator(f"a[href*='{w.q('cargo')}={cargo}&{w.q('member')}={member}']").click()
    petitioner.get_by_label(w.t("The reason, for every member to read")).fill(
        "Faltó a dos sesiones de la federación."
    )
    w.step(petitioner, "recall-petition")
    sign(petitioner, w.t("Open the petition"))
    for page in signers:  # until the charter's number of signatures opens the vote
        page.goto(w.url("recall"))
        if page.get_by_role("button", name=w.t("Sign the petition"), exact=True).count() == 0:
            break
        sign(page, w.t("Sign the petition"))
    for page in voters:
        page.goto(w.url("recall"))
        if page is voters[0]:
            w.step(page, "recall-vote")
        sign(page, w.t("In favour"))
    clock.advance(8 * 24 * 3600 * 1000)  # past the vote's deadline, when not everyone voted
    petitioner.goto(w.url("recall"))
    sign(petitioner, w.t("Close the vote and count"))
    w.step(petitioner, "recall-counted")


def replace_lost_phone(w: Walk, lost: str, vouchers: list[Any]) -> Any:
    """A member whose phone was lost makes a key on a new phone and claims their place; others vouch
    for the new key on the members' page; the new phone logs in. Returns the new phone's page."""
    new = w.open()
    new.goto(w.url("device"))
    key = create_device_key(new, w.t("Create the key for this device"))
    new.goto(w.url("lost_device"))
    new.get_by_label(w.t("Who you are")).select_option(lost)
    w.step(new, "lost-phone-claim")
    sign(new, w.t("Claim my place with this device"))
    for page in vouchers:  # until the charter's number of vouchers replaces the key
        page.goto(w.url("members"))
        claim = page.locator(f'[data-ayllu-claim="{key}"]')
        if claim.count() == 0:
            break
        if page is vouchers[0]:
            w.step(page, "lost-phone-vouch")
        sign(page, w.t("Vouch for this key"), within=claim)
    w.log_in(new)
    return new


def check_the_record(w: Walk, page: Any) -> None:
    """Check the whole record on the member's own device, from the record page."""
    page.goto(w.url("record"))
    page.get_by_role("button", name=w.t("Check the record")).click()
    page.wait_for_function(
        "() => ['ok', 'bad'].includes(document.querySelector('[data-ayllu-record-check]').dataset.state)",
        timeout=60_000,
    )
    assert page.locator("[data-ayllu-record-check]").get_attribute("data-state") == "ok"
    w.step(page, "record-check")
