"""The client's address, read in one place for every per-client limit: REMOTE_ADDR, or behind a
trusted proxy the right-most X-Forwarded-For entry that is not itself a trusted proxy."""

import pytest
from django.test import RequestFactory

from accounts.clients import client_ip
from tests.startup_support import start_django


def ip(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_remote_addr_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert ip("203.0.113.5") == "203.0.113.5"
    assert ip("203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert ip("127.0.0.1", "198.51.100.1") == "127.0.0.1"


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        # nginx appends the address it saw: the right-most entry, whatever the client sent before it.
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "garbage, 203.0.113.9", "203.0.113.9"),
        # A chain of trusted proxies (a load balancer in 10.0.0.0/8, then nginx) is walked past.
        ("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        ("127.0.0.1", " 203.0.113.9 ,10.1.2.3 ", "203.0.113.9"),
        # IPv6, written in any of its forms, comes back in one form.
        ("127.0.0.1", "2001:DB8:0:0::1", "2001:db8::1"),
        # The proxy sent no header, or only trusted hops: the nearest address is all there is.
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "10.1.2.3", "10.1.2.3"),
        # An entry that is not an address where a trusted proxy should have written one: do not
        # guess further left (the client wrote that part); count the request as the proxy's.
        ("127.0.0.1", "203.0.113.9, not-an-ip", "127.0.0.1"),
        # Not from a trusted proxy: the header is the client's own invention.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_entry_is_the_client(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert ip(remote, forwarded) == expected


def test_a_bad_trusted_proxies_setting_fails_at_start_up():
    result = start_django(TRUSTED_PROXIES="127.0.0.1,proxy.example")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr and "proxy.example" in result.stderr


def test_the_deploying_guide_trusts_the_proxies_themselves_never_a_network():
    """Every machine in a trusted network could pick the address the limits count it under."""
    import ipaddress
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    deploying = readme.split("\n## Deploying\n", 1)[1].split("\n## ", 1)[0]
    advice = [line for line in deploying.splitlines() if "TRUSTED_PROXIES" in line]
    assert advice
    for line in advice:
        for network in re.findall(r"[0-9A-Fa-f:.]+/\d{1,3}\b", line):
            assert ipaddress.ip_network(network, strict=False).num_addresses == 1, line
