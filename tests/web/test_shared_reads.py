"""The one replayed state every read shares: pages, membership and visibility follow each new entry, a
household written for members only stays hidden from outsiders, and a page's reads see one head."""

from django.test import Client

from ayllu.actions.record import do_append
from ayllu.core.ledger.record import sign_act
from ayllu.queries import pages
from ayllu.queries.members import KeyStanding, get_key_standing
from ayllu.queries.replayed import one_head, read_state
from factories.charters import no_wait_charter
from factories.keys import keypair
from factories.records import act_body
from factories.stored import StoredAssembly, act, found_with_officers


def sponsored_charter() -> dict[str, object]:
    charter = no_wait_charter()
    charter["admission"] = {"by": "sponsorship", "sponsors": 1}
    return charter


def apply_for_members_only(assembly: StoredAssembly, *, household: str) -> str:
    """A newcomer applies naming their household in a members-only body; the convenor sponsors them."""
    newcomer = keypair(90)
    body = act_body("member.applied", {"household": household}, vis="members")
    signed = sign_act(newcomer, log=assembly.log, type="member.applied", body=body, nonce="apply-90")
    do_append(assembly.log, signed_act=signed, body=body)
    act(assembly, assembly.convenor, "member.sponsored", {"applicant": newcomer.public})
    return newcomer.public


def test_a_household_written_for_members_only_is_hidden_from_outsiders_only(db: None) -> None:
    # given
    assembly = found_with_officers("Junta Vecinal Alto Lima", charter=sponsored_charter())
    pages.get_people(assembly.log, outsider=True)  # cached at the earlier head
    # when
    newcomer = apply_for_members_only(assembly, household="casa-reservada")
    # then
    assert pages.get_people(assembly.log)[newcomer].household == "casa-reservada"
    assert pages.get_people(assembly.log, outsider=True)[newcomer].household == ""
    assert pages.get_people(assembly.log, outsider=True)[assembly.convenor.public].household == "casa-1"


def test_membership_follows_the_record_after_every_append(db: None) -> None:
    # given
    assembly = found_with_officers("Junta Vecinal Alto Lima", charter=sponsored_charter())
    newcomer = keypair(90).public
    assert get_key_standing(assembly.log, key=newcomer) == KeyStanding.UNKNOWN
    # when
    apply_for_members_only(assembly, household="casa-5")
    # then
    assert get_key_standing(assembly.log, key=newcomer) == KeyStanding.MEMBER
    assert read_state(assembly.log, lambda state: state.active_count) == 5


def test_reads_inside_one_head_see_the_head_of_their_first_read(db: None) -> None:
    # given
    assembly = found_with_officers("Junta Vecinal Alto Lima", charter=sponsored_charter())
    # when
    with one_head():
        before = read_state(assembly.log, lambda state: state.size)
        act(assembly, assembly.convenor, "notice.posted", {"text": "Reunión el lunes"})
        during = read_state(assembly.log, lambda state: state.size)
    after = read_state(assembly.log, lambda state: state.size)
    # then
    assert during == before
    assert after == before + 1


def test_the_home_page_shows_an_entry_appended_after_it_was_read(db: None, client: Client) -> None:
    # given
    assembly = found_with_officers("Junta Vecinal Alto Lima", charter=sponsored_charter())
    url = f"/es/asamblea/{assembly.log}/"
    assert "Cancha nueva" not in client.get(url).content.decode()
    # when
    act(
        assembly,
        assembly.members[1],
        "proposal.tabled",
        {"matter": "ordinary", "title": "Cancha nueva", "text": "Arena.", "effect": {}},
    )
    # then
    assert "Cancha nueva" in client.get(url).content.decode()
