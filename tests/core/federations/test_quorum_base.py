"""A federation's member counts are of member assemblies (decision 0030): a meeting's quorum counts the
member assemblies with a delegate present whose seat stands, of all member assemblies (never its
founders); a meeting petition counts assemblies, not signatures; a record's move is endorsed by more
than half of the member assemblies through delegates standing."""

from ayllu.core.assembly.reads import get_meeting_quorum
from ayllu.core.ledger.succession import RECORD_MOVED, endorse_move
from ayllu.core.meetings.acts import get_quorum
from factories.assemblies import Assembly
from factories.federations import (
    accredit,
    give_federation_cargo,
    seat_content,
    seated_delegate,
    three_homes,
)
from factories.keys import keypair, pub


def _second_delegate(fed: Assembly, home: Assembly) -> str:
    """Seat a second delegate of `home` (a second cargo representing it) and return their name."""
    delegate = give_federation_cargo(home, fed.log, cargo="delegado_2")
    credential = accredit(home, delegate, fed.log)
    fed.clock = max(fed.clock, home.clock)
    fed.act(delegate, "federation.seated", seat_content(home, credential))
    return delegate


def test_a_federation_meetings_quorum_counts_member_assemblies_present_not_founders() -> None:
    # given three member assemblies founded by three delegates (the record's founders)
    homes, fed = three_homes()
    alto, _ = seated_delegate(fed, homes[0])
    alto_2 = _second_delegate(fed, homes[0])
    bajo, _ = seated_delegate(fed, homes[1])
    # when two delegates of one assembly start and sign a petition, no meeting is convened yet
    fed.act(alto, "meeting.petitioned", {"purpose": "reunión"})
    petition = fed.entries[-1].seq
    fed.act(alto_2, "meeting.petitioned", {"petition": petition})
    assert petition not in fed.state.meetings
    # and a delegate of a second assembly completes it (two assemblies: the charter's two signatures)
    fed.act(bajo, "meeting.petitioned", {"petition": petition})
    assert petition in fed.state.meetings
    assert fed.state.meetings[petition].chair == pub(alto)  # the first signer chairs
    # when both of alto's delegates are present, one assembly of three is
    fed.act(alto, "presence.signed", {"meeting": petition})
    fed.act(alto_2, "presence.signed", {"meeting": petition})
    quorum = get_meeting_quorum(fed.state, petition)
    assert (quorum.present, quorum.base, quorum.met) == (1, 3, False)
    # and with bajo's delegate, two of three: the quorum of one half is met
    fed.act(bajo, "presence.signed", {"meeting": petition})
    quorum = get_meeting_quorum(fed.state, petition)
    assert (quorum.present, quorum.base, quorum.met) == (2, 3, True)
    # once their seats ended (60-day credentials), nobody present counts for an assembly
    ended = max(s.until for m in fed.state.member_assemblies.values() for s in m.seats)
    assert get_quorum(fed.state, fed.state.meetings[petition], now=ended).present == 0


def test_a_federations_record_moves_with_more_than_half_of_its_member_assemblies() -> None:
    homes, fed = three_homes()
    alto, _ = seated_delegate(fed, homes[0])
    alto_2 = _second_delegate(fed, homes[0])
    bajo, _ = seated_delegate(fed, homes[1])
    new_node = keypair("new-node")
    after = fed.entries[-1].hash

    def endorsed(*names: str) -> dict[str, object]:
        sigs = [endorse_move(keypair(n), log=fed.log, node=new_node.public, after=after) for n in names]
        return {"node": new_node.public, "after": after, "endorsements": sigs}

    # two delegates of one assembly are one of three member assemblies: not enough
    assert fed.rejects(alto, RECORD_MOVED, endorsed(alto, alto_2)) == "move_not_endorsed"
    # a founder holding no seat endorses nothing
    assert fed.rejects(alto, RECORD_MOVED, endorsed(alto, "dora")) == "bad_move_endorsement"
    # two assemblies of three are more than half
    fed.act(alto, RECORD_MOVED, endorsed(alto, bajo))
    assert fed.state.node == new_node.public
