"""The client's address, for the limits counted per address (logins, writes anyone may make).

The address is the connection's peer (`REMOTE_ADDR`) unless that peer is one of the reverse proxies
the operator named in `AYLLU_TRUSTED_PROXIES`. Only then is `X-Forwarded-For` read, from the right:
each trusted proxy appends the address it received the request from, so the right-most entry that is
not itself a trusted proxy is the client as the outermost trusted proxy saw it. Entries further left
were written by the client and may be anything; they are never read. Without trusted proxies the
header is ignored, so nobody escapes a limit by sending it.
"""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request: HttpRequest) -> str:
    """The address of the client that made `request`, looking past the trusted proxies only."""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    proxies = trusted_proxies(tuple(settings.AYLLU_TRUSTED_PROXIES))
    if not proxies or not _is_one_of(peer, proxies):
        return peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _parsed(hop) is None:
            return peer  # a trusted proxy wrote something that is no address: count the proxy
        if not _is_one_of(hop, proxies):
            return hop
    return hops[0] if hops else peer


@functools.cache
def trusted_proxies(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of `AYLLU_TRUSTED_PROXIES` (addresses or CIDRs); raise ValueError naming a bad one."""
    return tuple(_network(entry) for entry in entries)


def _network(entry: str) -> Network:
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        raise ValueError(f"AYLLU_TRUSTED_PROXIES: {entry!r} is not an address or a network") from None


def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _is_one_of(address: str, networks: tuple[Network, ...]) -> bool:
    parsed = _parsed(address)
    return parsed is not None and any(parsed in network for network in networks)
