"""Webhooks without any server: the SSRF guard (with an injected resolver, so no name is
looked up and no connection is opened), the signature, and the retry decisions."""

from __future__ import annotations

import hashlib
import hmac
import socket

import pytest

from backend.config import Settings
from backend.services import webhooks
from backend.services.url_guard import UnresolvableHost, UnsafeUrl, check_url

# What the fake DNS answers. Only this table is ever consulted: nothing leaves the process.
DNS = {
    "hooks.example.com": ["93.184.215.14"],
    "v6.example.com": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "localhost": ["127.0.0.1", "::1"],
    "rebind.example.com": ["93.184.215.14", "10.0.0.7"],  # one public, one private answer
    "internal.example.com": ["192.168.1.20"],
    "metadata.example.com": ["169.254.169.254"],
}


def fake_resolver(host: str, port: int) -> list[str]:
    try:
        return list(DNS[host])
    except KeyError:
        try:  # an IP literal "resolves" to itself, as getaddrinfo does
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        except OSError:
            raise UnresolvableHost(f"the host {host!r} does not resolve") from None
        return [host]


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    """A test here that tried to open a connection fails instead."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a unit test tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def check(url: str, allow_private: bool = False):
    return check_url(url, allow_private=allow_private, resolve=fake_resolver)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.0.10/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://169.254.169.254/latest/meta-data/",  # AWS/GCP/Azure metadata
        "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
        "http://100.100.100.200/",  # Alibaba metadata
        "http://[fe80::1]/",
        "http://[fc00::5]/",
        "http://224.0.0.1/",  # multicast
        "http://[ff02::1]/",
        "http://240.0.0.1/",  # reserved
        "http://255.255.255.255/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:169.254.169.254]/",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 around 10.0.0.1
        "http://internal.example.com/",
        "http://metadata.example.com/",
        "http://rebind.example.com/",  # one private answer is enough to refuse
        "https://internal.example.com:8443/x?y=1",
    ],
)
def test_inward_addresses_are_refused(url):
    with pytest.raises(UnsafeUrl, match="non-public address"):
        check(url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/",
        "file:///etc/passwd",
        "gopher://hooks.example.com/",
        "hooks.example.com/hook",
        "http:///hook",
        "http://user:pw@hooks.example.com/",
        "http://hooks.example.com:99999/",
        "http://hooks.example.com/a b",
        "http://hooks.example.com/\r\nX-Injected: 1",
        "https://" + "a" * 2100 + ".com/",
    ],
)
def test_malformed_or_other_scheme_urls_are_refused(url):
    with pytest.raises(UnsafeUrl):
        check(url)


def test_a_host_that_does_not_resolve_is_refused_as_such():
    with pytest.raises(UnresolvableHost):
        check("https://nowhere.example.com/")


def test_public_addresses_pass_and_the_checked_address_is_the_one_to_connect_to():
    target = check("https://hooks.example.com/ledgerflow?team=7")
    assert (target.scheme, target.host, target.port) == ("https", "hooks.example.com", 443)
    assert target.path == "/ledgerflow?team=7"
    assert target.address == "93.184.215.14"
    assert check("http://v6.example.com:8080").address.startswith("2606:2800:")
    assert check("http://v6.example.com:8080").path == "/"
    assert check("HTTP://[2002:808:808::]/").address == "2002:808:808::"  # 6to4 of 8.8.8.8


def test_the_flag_lets_private_networks_through_but_still_pins_the_address():
    target = check("http://localhost:9000/hook", allow_private=True)
    assert (target.address, target.port, target.host) == ("127.0.0.1", 9000, "localhost")
    assert check("http://10.1.2.3/", allow_private=True).address == "10.1.2.3"
    with pytest.raises(UnsafeUrl):  # the scheme rule stays
        check("file:///etc/passwd", allow_private=True)


def test_the_signature_is_the_documented_hmac():
    secret, timestamp, body = "whsec_abc", "1764475200", b'{"event":"task.succeeded"}'
    expected = hmac.new(b"whsec_abc", b'1764475200.{"event":"task.succeeded"}', hashlib.sha256)
    assert webhooks.sign(secret, timestamp, body) == "sha256=" + expected.hexdigest()
    assert webhooks.sign("another", timestamp, body) != webhooks.sign(secret, timestamp, body)
    assert webhooks.sign(secret, "1764475201", body) != webhooks.sign(secret, timestamp, body)


def test_headers_carry_event_delivery_timestamp_and_signature():
    claim = webhooks.Claim(7, 1, "task.failed", b"{}", "http://x/", "whsec_k")
    headers = webhooks.signed_headers(claim, "1764475200")
    assert headers["X-Ledgerflow-Event"] == "task.failed"
    assert headers["X-Ledgerflow-Delivery"] == "7"
    assert headers["X-Ledgerflow-Timestamp"] == "1764475200"
    assert headers["X-Ledgerflow-Signature"] == webhooks.sign("whsec_k", "1764475200", b"{}")


def test_secrets_are_new_each_time_and_long():
    first, second = webhooks.new_secret(), webhooks.new_secret()
    assert first != second and len(first) >= 64


@pytest.mark.parametrize(
    ("status_code", "retryable"),
    [(500, True), (502, True), (503, True), (408, True), (429, True),
     (400, False), (401, False), (404, False), (410, False), (301, False)],
)
def test_which_answers_are_retried(status_code, retryable):
    assert webhooks.is_retryable(status_code) is retryable


def test_a_refused_address_at_delivery_time_is_not_retried():
    claim = webhooks.Claim(1, 1, "task.succeeded", b"{}", "http://internal.example.com/", "k")
    attempt = webhooks.send(claim, allow_private=False, timeout=1, resolve=fake_resolver)
    assert attempt.status_code is None and not attempt.retryable
    assert "non-public address" in (attempt.error or "")
    gone = webhooks.Claim(1, 1, "task.succeeded", b"{}", "http://nowhere.example.com/", "k")
    attempt = webhooks.send(gone, allow_private=False, timeout=1, resolve=fake_resolver)
    assert attempt.retryable and "does not resolve" in (attempt.error or "")


def test_the_default_retry_schedule_is_five_tries_over_about_an_hour():
    default = Settings.model_fields["webhook_retry_schedule"].default  # the tests set their own
    delays = Settings(_env_file=None, webhook_retry_schedule=default).webhook_retry_delays
    assert len(delays) + 1 == 5
    assert 50 * 60 <= sum(delays) <= 70 * 60
    assert list(delays) == sorted(delays)


def test_an_invalid_retry_schedule_is_refused_at_startup():
    with pytest.raises(ValueError, match="webhook_retry_schedule"):
        Settings(_env_file=None, webhook_retry_schedule="soon, later")
