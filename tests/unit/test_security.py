"""Password hashing and token encoding, without a server."""

from __future__ import annotations

import time

import pytest
from jose import jwt

from backend.config import Settings, get_settings
from backend.security import (
    InvalidTokenError,
    create_access_token,
    decode_access_token,
    hash_password,
    verify_password,
)

SETTINGS = Settings(jwt_secret_key="unit-test-secret", access_token_expire_minutes=5)


def test_password_hash_verifies_only_the_right_password():
    hashed = hash_password("correct horse")
    assert hashed != "correct horse"
    assert verify_password("correct horse", hashed)
    assert not verify_password("wrong horse", hashed)
    assert not verify_password("anything", "not-a-bcrypt-hash")


def test_hashes_cost_password_hash_rounds_and_production_keeps_bcrypts_12():
    # The test run sets 4 (tests/conftest.py); a hash records its cost ("$2b$04$...").
    rounds = get_settings().password_hash_rounds
    assert hash_password("correct horse").startswith(f"$2b${rounds:02d}$")
    assert Settings.model_fields["password_hash_rounds"].default == 12


def test_token_round_trip_carries_subject_and_lifetime():
    token, expires_in = create_access_token("42", SETTINGS)
    assert expires_in == 300
    assert decode_access_token(token, SETTINGS).subject == "42"
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_token_signed_with_another_key_is_refused():
    token, _ = create_access_token("42", Settings(jwt_secret_key="someone-else"))
    with pytest.raises(InvalidTokenError):
        decode_access_token(token, SETTINGS)


def test_the_api_refuses_to_start_without_a_jwt_secret(monkeypatch):
    from backend.api import main

    monkeypatch.setattr(main, "get_settings", lambda: Settings(jwt_secret_key="  "))
    with pytest.raises(RuntimeError, match="JWT_SECRET_KEY is empty"):
        main.create_app()


def _signed(claims: dict[str, object], key: str = "unit-test-secret") -> str:
    return jwt.encode(claims, key, algorithm="HS256")


def test_a_token_verified_before_is_refused_once_it_expires():
    # Verified tokens are cached (decode_access_token): the cache must not outlive ``exp``.
    expires = int(time.time()) + 1
    token = _signed({"sub": "42", "exp": expires})
    assert decode_access_token(token, SETTINGS).subject == "42"
    while int(time.time()) <= expires:
        assert decode_access_token(token, SETTINGS).subject == "42"
        time.sleep(0.05)
    with pytest.raises(InvalidTokenError, match="expired"):
        decode_access_token(token, SETTINGS)


def test_a_token_verified_before_is_refused_with_another_key_or_a_changed_byte():
    token = _signed({"sub": "42", "exp": int(time.time()) + 60})
    assert decode_access_token(token, SETTINGS).subject == "42"
    with pytest.raises(InvalidTokenError):
        decode_access_token(token, Settings(jwt_secret_key="rotated-secret"))
    header, payload, signature = token.split(".")
    other_payload = _signed({"sub": "1", "exp": int(time.time()) + 60}).split(".")[1]
    for tampered in (f"{header}.{other_payload}.{signature}",
                     f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"):
        with pytest.raises(InvalidTokenError):
            decode_access_token(tampered, SETTINGS)


def test_a_token_with_anything_appended_or_a_second_spelling_is_refused():
    # python-jose alone verified all of these as the token itself: it drops padding and
    # characters outside base64url, and ignores the unused low bits of the last character.
    token = _signed({"sub": "42", "exp": int(time.time()) + 60})
    assert decode_access_token(token, SETTINGS).subject == "42"
    header, payload, signature = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    same_bytes_other_spelling = [
        f"{header}.{payload}.{signature[:-1]}{c}"
        for c in alphabet
        if c != signature[-1] and alphabet.index(c) // 4 == alphabet.index(signature[-1]) // 4
    ]
    assert same_bytes_other_spelling  # a 32-byte HMAC leaves 2 unused bits: 3 spellings
    for variant in [token + "=", token + "==", token + "@@@", f"{header}=.{payload}.{signature}",
                    f" {token}", *same_bytes_other_spelling]:
        with pytest.raises(InvalidTokenError):
            decode_access_token(variant, SETTINGS)
