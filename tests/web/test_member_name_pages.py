"""A name a member chooses, in the browser: the members page offers the form to the member themselves,
and pages call a named member by that name (isolated), others by household and key."""

from django.test import Client

from ayllu.actions.record import forget_replayed_state
from factories.stored import act, found, log_in_as

from .test_form_walk import act_forms, body_of, refused


def test_the_members_page_offers_a_member_their_own_name_form(client: Client, db: None) -> None:
    # given a member of an assembly
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=3)
    member = assembly.members[1]
    address = f"/es/asamblea/{assembly.log}/miembros/"
    outsider = {f["type"] for f in act_forms(client.get(address).content.decode())}
    log_in_as(client, assembly.log, member)
    # when they read the members page in Spanish
    page = client.get(address).content.decode()
    forms = {f["type"]: f for f in act_forms(page)}
    # then the name form is theirs alone, in Spanish, and the core accepts what it sends (empty: a clearing)
    assert "member.named" not in outsider
    assert "Su nombre" in page and "Guardar el nombre" in page
    assert body_of(forms["member.named"]) == {}
    assert refused(assembly.log, member.public, forms["member.named"]) == ""


def test_pages_call_a_named_member_by_name_and_the_others_by_household(client: Client, db: None) -> None:
    # given a member who chose a name written right to left
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=3)
    named, other = assembly.members[0], assembly.members[1]
    act(assembly, named, "member.named", {"name": "\u05d0\u05e0\u05d4 Mamani"})
    log_in_as(client, assembly.log, named)
    # when the members page is read
    page = client.get(f"/en/assembly/{assembly.log}/members/").content.decode()
    # then the name is shown isolated, beside the start of the key, and filled in the member's own form
    assert '<bdi class="person__name" dir="auto">\u05d0\u05e0\u05d4 Mamani</bdi> <code' in page
    assert f'title="{named.public}">{named.public[:8]}</code>' in page
    assert 'value="\u05d0\u05e0\u05d4 Mamani"' in page
    # and the other member is still called by household and key
    assert f'title="{other.public}">{other.public[:8]}</code>' in page
    assert page.count('class="person__name"') == 1
