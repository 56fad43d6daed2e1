"""The client address the per-address limits count: the connection's peer, or, only behind a proxy the
operator trusts (AYLLU_TRUSTED_PROXIES), the right-most X-Forwarded-For entry that is no trusted proxy."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

import ayllu.settings
from ayllu.addresses import client_address
from factories.api import ApiAssembly

PROXY = "10.0.0.2"
SETTINGS = str(Path(ayllu.settings.__file__).with_name("base.py"))  # run afresh, not imported


def seen(remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"x-forwarded-for": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers))


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings) -> None:
    # given: no trusted proxy (the default)
    settings.AYLLU_TRUSTED_PROXIES = []
    # when / then: a client naming any address it likes is still counted at its own
    assert seen("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_forwarded_header_from_a_peer_that_is_not_trusted_is_ignored(settings) -> None:
    # given: a trusted proxy, and a request that does not come through it
    settings.AYLLU_TRUSTED_PROXIES = [PROXY]
    # when / then
    assert seen("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_entry_it_appended(settings) -> None:
    # given: nginx at 10.0.0.2 appends the address it received the request from
    settings.AYLLU_TRUSTED_PROXIES = [PROXY]
    # when / then: the client's own spoofed entries, to the left, are never read
    assert seen(PROXY, "203.0.113.9") == "203.0.113.9"
    assert seen(PROXY, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert seen(PROXY, "not an address, 203.0.113.9") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings) -> None:
    # given: a load balancer in 10.1.0.0/16 in front of the proxy at 10.0.0.2
    settings.AYLLU_TRUSTED_PROXIES = [PROXY, "10.1.0.0/16", "2001:db8::/32"]
    # when / then
    assert seen(PROXY, "1.2.3.4, 203.0.113.9, 10.1.4.5") == "203.0.113.9"
    assert seen(PROXY, "2001:db9::1, 2001:db8::7") == "2001:db9::1"


def test_a_trusted_proxy_without_a_usable_header_is_counted_itself(settings) -> None:
    # given
    settings.AYLLU_TRUSTED_PROXIES = [PROXY]
    # when / then: no header, an empty one, or garbage where the proxy writes: the proxy's own address
    assert seen(PROXY) == PROXY
    assert seen(PROXY, " , ") == PROXY
    assert seen(PROXY, "203.0.113.9, garbage") == PROXY


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(assembly: ApiAssembly, settings) -> None:
    # given: one application allowed per address, and two clients behind the same trusted proxy
    settings.AYLLU_TRUSTED_PROXIES = [PROXY]
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 1
    first = ApiAssembly(Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": "203.0.113.1"}), assembly.log)
    second = ApiAssembly(Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": "203.0.113.2"}), assembly.log)
    assert first.act("stranger-1", "apply", household="h-1").status_code == 202
    # when
    again = first.act("stranger-2", "apply", household="h-2")
    other = second.act("stranger-3", "apply", household="h-3")
    # then: the first client met its limit, the second one did not share it
    assert (again.status_code, again.json()["code"]) == (429, "writes_rate_limited")
    assert other.status_code == 202


def test_a_spoofed_forwarded_header_does_not_escape_the_limit(
    assembly: ApiAssembly, settings, db: None
) -> None:
    # given: no trusted proxy, one application allowed per address, used up
    settings.AYLLU_NON_MEMBER_ACTS_PER_ADDRESS = 1
    client = ApiAssembly(Client(REMOTE_ADDR="203.0.113.1"), assembly.log)
    assert client.act("stranger-1", "apply", household="h-1").status_code == 202
    # when: the same client names another address in the header
    client.client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.77"
    answer = client.act("stranger-2", "apply", household="h-2")
    # then
    assert (answer.status_code, answer.json()["code"]) == (429, "writes_rate_limited")


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.example.org", "10.0.0.0/40"])
def test_a_bad_trusted_proxy_stops_the_node_from_starting(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: an operator's typo in the environment
    monkeypatch.setenv("AYLLU_TRUSTED_PROXIES", f"127.0.0.1, {value}")
    # when: the settings are read (the module's code run afresh, as a starting node runs it)
    with pytest.raises(ImproperlyConfigured) as refused:
        runpy.run_path(SETTINGS)
    # then: the node does not start, and says which entry is wrong
    assert f"AYLLU_TRUSTED_PROXIES: '{value}' is not an address or a network" in str(refused.value)
