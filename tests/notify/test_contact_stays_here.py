"""A member's contact is confidential: it never reaches the record, an export, a peer or another reader."""

import re
from pathlib import Path

from django.test import Client

import ayllu
from ayllu.actions.notifications import do_add_push_subscription
from ayllu.queries.export import iter_export_lines
from ayllu.storage.models import Body, Entry
from factories.stored import log_in_as

from .conftest import ADDRESSES, Council

SRC = Path(ayllu.__file__).parent
# Every way a record's data leaves the node: exports, replication, the API's and the pages' reads of the
# record. None of them may read the tables of contacts and messages.
OUTWARD = [
    SRC / "queries" / "export.py",
    SRC / "queries" / "replication.py",
    SRC / "queries" / "record.py",
    SRC / "cli" / "exportfile.py",
    *sorted((SRC / "federation").glob("*.py")),
]


def test_no_address_is_in_the_record_an_export_or_what_peers_are_served(
    council: Council, client: Client
) -> None:
    # given members who gave their addresses
    # when the record is read as stored, exported with members' bodies, and served to a peer
    headers = [bytes(e.header) for e in Entry.objects.filter(record__log=council.log)]
    bodies = [bytes(b.raw or b"") for b in Body.objects.all()]
    stored = b"".join(headers + bodies)
    exported = "".join(iter_export_lines(council.log, visible=frozenset({"public", "members"})))
    size = council.assembly.size + 20
    served = [
        client.get(f"/fed/{council.log}/{what}/", {"from": 1, "to": size}).content
        for what in ("entries", "bodies")
    ]
    # then no address is anywhere in them
    for address in ADDRESSES:
        assert address.encode() not in stored
        assert address not in exported
        assert all(address.encode() not in answer for answer in served)
    assert exported and all(served)


def test_no_outward_path_reads_contacts_or_messages() -> None:
    # given the modules through which a record leaves the node
    # then none names the notification tables
    named = {
        str(path.relative_to(SRC)): sorted(
            set(re.findall(r"NotificationSettings|OutboxMessage|PushSubscription|notification|push", text))
        )
        for path in OUTWARD
        if (text := path.read_text(encoding="utf-8"))
    }
    assert {path: found for path, found in named.items() if found} == {}


def test_another_member_never_sees_a_members_address(council: Council) -> None:
    # given member 0's address, and member 1 logged in
    other = Client()
    log_in_as(other, council.log, council.assembly.members[1])
    # when member 1 reads the pages a member reads about others, and their own settings
    pages = [
        f"/en/assembly/{council.log}/members/",
        f"/en/assembly/{council.log}/notifications/",
        f"/api/assemblies/{council.log}/me/notifications",
    ]
    answers = [other.get(page).content for page in pages]
    # then member 0's address is in none of them (their own is, on their own settings)
    assert all(ADDRESSES[0].encode() not in answer for answer in answers)
    assert ADDRESSES[1].encode() in answers[2]


ENDPOINT = "https://push.example.net/wpush/v2/device-of-member-zero-SECRET"
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def test_no_push_subscription_is_in_the_record_an_export_or_what_peers_are_served(
    council: Council, client: Client
) -> None:
    # given member 0 subscribed a device to Web Push
    do_add_push_subscription(
        council.log, member=council.members[0], endpoint=ENDPOINT, p256dh=P256DH, auth=AUTH
    )
    # when the record is read as stored, exported with members' bodies, and served to a peer
    headers = [bytes(e.header) for e in Entry.objects.filter(record__log=council.log)]
    stored = b"".join(headers + [bytes(b.raw or b"") for b in Body.objects.all()])
    exported = "".join(iter_export_lines(council.log, visible=frozenset({"public", "members"})))
    size = council.assembly.size + 20
    served = [
        client.get(f"/fed/{council.log}/{what}/", {"from": 1, "to": size}).content
        for what in ("entries", "bodies")
    ]
    # then neither the endpoint nor the device's keys are anywhere in them
    for secret in ("device-of-member-zero-SECRET", P256DH, AUTH):
        assert secret.encode() not in stored
        assert secret not in exported
        assert all(secret.encode() not in answer for answer in served)


def test_another_member_never_sees_a_members_devices(council: Council) -> None:
    # given member 0's device, and member 1 logged in
    do_add_push_subscription(
        council.log, member=council.members[0], endpoint=ENDPOINT, p256dh=P256DH, auth=AUTH
    )
    own, other = Client(), Client()
    log_in_as(own, council.log, council.assembly.members[0])
    log_in_as(other, council.log, council.assembly.members[1])
    pages = [
        f"/en/assembly/{council.log}/members/",
        f"/en/assembly/{council.log}/notifications/",
        f"/api/assemblies/{council.log}/me/push",
    ]
    # then member 1 reads member 0's endpoint on none of the pages; member 0 reads it on their own
    assert all(b"device-of-member-zero-SECRET" not in other.get(page).content for page in pages)
    assert b"device-of-member-zero-SECRET" in own.get(pages[2]).content
    assert b"push.example.net" in own.get(pages[1]).content
