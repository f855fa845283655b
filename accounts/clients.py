"""Who the client is, for every limit that counts per client (log-ins, join codes, sign-ups,
password resets).

The client's address is REMOTE_ADDR, unless REMOTE_ADDR is one of TRUSTED_PROXIES (say the
nginx in front, 127.0.0.1). Then it is the right-most X-Forwarded-For entry that is not itself a
trusted proxy: each proxy appends the address it was connected from, so entries right of the
first untrusted one were written by our proxies and everything left of it by the client, who
can write anything there. From any other address X-Forwarded-For is the client's own
invention and is ignored. So TRUSTED_PROXIES must name the proxies themselves: every machine in
a network listed there could write its own X-Forwarded-For and pick the address it is counted
under.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return address is not None and any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The client's IP address, in its normal written form."""
    remote_text = request.META.get("REMOTE_ADDR", "")
    remote = _address(remote_text)
    if not _trusted(remote):
        return str(remote) if remote is not None else remote_text
    client = remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Not an address where a trusted proxy should have written one: whatever lies
            # further left is the client's own writing, so count the request as the proxy's.
            return str(remote)
        client = address
        if not _trusted(address):
            break
    return str(client)


def client_key(request) -> str:
    """What per-address limits count under: the IP address, or for IPv6 its /64 network (one
    subscriber's allocation: a single client may hold all of it)."""
    text = client_ip(request)
    address = _address(text)
    if address is None:
        return text
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
