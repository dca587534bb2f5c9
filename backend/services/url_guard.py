"""Outbound HTTP to URLs users gave us, without letting them reach inside our network (SSRF).

``check_url`` resolves the host and refuses the URL unless every address it resolves to
is a public unicast address: loopback, private, link-local (cloud metadata at
169.254.169.254), carrier-grade NAT, multicast, unspecified and reserved ranges are
refused, also when written inside an IPv6 address (IPv4-mapped ``::ffff:127.0.0.1``,
IPv4-compatible, 6to4, Teredo, NAT64). Checking what the name resolves to, not how the
URL spells it, also catches ``http://2130706433/``, ``http://0x7f.1/`` and names whose
DNS points inward.

``post`` then connects to the very address that was checked (the Host header and the
TLS name stay the URL's host), so a DNS answer that changes between the check and the
connection (DNS rebinding) cannot redirect it; redirects are never followed, and no
proxy from the environment is used.

The resolver is a parameter, so the check is unit-tested without any network.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

# (host, port) -> the IP addresses it resolves to, as strings.
Resolver = Callable[[str, int], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2048
# Cloud metadata services; all are in refused ranges already, listed so that a change of
# the standard library's tables can never let them through.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeUrl(ValueError):
    """The URL may not be called: wrong scheme, malformed, or an address we refuse."""


class UnresolvableHost(UnsafeUrl):
    """The host does not resolve (now): at delivery time, worth another try later."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system's resolver gives for ``host``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableHost(f"the host {host!r} does not resolve") from exc
    return [str(info[4][0]) for info in infos]


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries, which a network may route to."""
    embedded = []
    if address.ipv4_mapped is not None:
        embedded.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.extend(address.teredo)
    if int(address) < 2**32:  # IPv4-compatible (::a.b.c.d), also :: and ::1
        embedded.append(ipaddress.IPv4Address(int(address)))
    if any(address in network for network in _NAT64):
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return embedded


def is_forbidden(address: IPAddress) -> bool:
    """Whether a webhook may not be sent to ``address`` (anything but public unicast)."""
    if address in METADATA_ADDRESSES:
        return True
    if isinstance(address, ipaddress.IPv6Address):
        if any(is_forbidden(inner) for inner in _embedded_ipv4(address)):
            return True
        address = ipaddress.IPv6Address(int(address))  # drop a scope id (fe80::1%eth0)
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_url(url: str, *, allow_private: bool, resolve: Resolver = system_resolver) -> Target:
    """The URL's target if a webhook may call it; UnsafeUrl (with the reason) otherwise.

    ``allow_private`` (WEBHOOK_ALLOW_PRIVATE_NETWORKS) lets internal addresses through,
    for receivers on the operator's own network; the URL is still resolved once, and
    the connection still goes to the address resolved here.
    """
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url):
        raise UnsafeUrl("the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"the URL is malformed: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise UnsafeUrl("only http:// and https:// URLs can receive webhooks")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("the URL may not contain a user name or password")
    host = parts.hostname
    if not host:
        raise UnsafeUrl("the URL has no host")
    port = port or _DEFAULT_PORTS[scheme]
    addresses = []
    for text in resolve(host, port):
        try:
            addresses.append(ipaddress.ip_address(text))
        except ValueError:
            raise UnsafeUrl(f"the host {host!r} resolves to an invalid address") from None
    if not addresses:
        raise UnresolvableHost(f"the host {host!r} does not resolve")
    # The message does not name the address: it would map internal names to addresses.
    if not allow_private and any(is_forbidden(address) for address in addresses):
        raise UnsafeUrl(
            f"the host {host!r} resolves to a loopback, private, link-local or otherwise "
            "non-public address; webhooks only go to public addresses"
        )
    # Non-ASCII in the path or query (an IRI: .../hé?q=例) percent-encoded as UTF-8, as a
    # browser sends it: http.client writes the request line in ASCII, so every try of
    # such a URL crashed in the worker. ASCII is kept as written (existing %XX included).
    path = quote(parts.path or "/", safe=string.punctuation)
    if parts.query:
        path += "?" + quote(parts.query, safe=string.punctuation)
    return Target(scheme, host, port, path, str(addresses[0]))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Speaks HTTP to ``host`` (the Host header) over a socket to the checked ``address``."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.pinned_address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is verified for ``host``."""

    def __init__(self, target: Target, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.pinned_address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to the checked target and return the status code (redirects are
    answers, not followed). Raises OSError (timeouts included) when no answer came."""
    connection: http.client.HTTPConnection = (
        _PinnedHTTPSConnection(target, timeout)
        if target.scheme == "https"
        else _PinnedHTTPConnection(target, timeout)
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        # Only the status line matters; the body, however long, is never read.
        return connection.getresponse().status
    except http.client.HTTPException as exc:  # a malformed answer: as good as none
        raise ConnectionError(f"invalid HTTP answer ({type(exc).__name__})") from exc
    finally:
        connection.close()
