"""Password hashing and token encoding, without a server."""

from __future__ import annotations

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
