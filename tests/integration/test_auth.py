"""Registration, tokens, and what happens to every kind of bad token."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from jose import jwt
from sqlalchemy import delete, func, select, update

from backend.config import get_settings
from backend.db import get_engine
from backend.models import TaskStatus, User


def test_register_login_and_me(client):
    created = client.post("/auth/register", json={"email": "Ann@Example.com", "password": "s3cret-pass"})
    assert created.status_code == 201
    assert created.json()["email"] == "ann@example.com"
    assert "password" not in json.dumps(created.json())

    token = client.post("/auth/token", data={"username": "ann@example.com", "password": "s3cret-pass"})
    assert token.status_code == 200
    body = token.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 30 * 60

    me = client.get("/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["id"] == created.json()["id"]


def test_me_says_the_upload_limit(client, auth_headers):
    """The web app refuses a file over the limit before sending it: it reads it here."""
    from backend.config import get_settings

    me = client.get("/auth/me", headers=auth_headers).json()
    assert me["max_upload_bytes"] == get_settings().max_upload_mb * 1024 * 1024
    # ...and how many files a batch takes, and the user may have running: it sends more
    # as several batches.
    assert me["max_batch_files"] == get_settings().max_batch_files
    assert me["max_active_tasks"] == get_settings().user_max_active_tasks


def test_registering_an_existing_email_is_409(client):
    client.post("/auth/register", json={"email": "bob@example.com", "password": "password1"})
    again = client.post("/auth/register", json={"email": "BOB@example.com", "password": "password2"})
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "carol@example.com", "password": "short"},
        {"email": "not-an-email", "password": "long enough"},
        {"email": "carol@example.com"},
        {"email": "carol@example.com", "password": "x" * 73},
    ],
)
def test_bad_registrations_are_422_with_a_detail(client, body):
    response = client.post("/auth/register", json=body)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_wrong_password_is_401(client, register):
    register(email="dan@example.com", password="right password")
    response = client.post("/auth/token", data={"username": "dan@example.com", "password": "wrong password"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    unknown = client.post("/auth/token", data={"username": "nobody@example.com", "password": "whatever1"})
    assert unknown.status_code == 401


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _user_id(client, headers) -> str:
    return str(client.get("/auth/me", headers=headers).json()["id"])


def _bad_tokens(user_id: str) -> dict[str, str]:
    secret = get_settings().jwt_secret_key
    now = datetime.now(UTC)
    soon = now + timedelta(minutes=5)
    valid = jwt.encode({"sub": user_id, "exp": soon}, secret, algorithm="HS256")
    header, payload, signature = valid.split(".")
    return {
        "expired": jwt.encode({"sub": user_id, "exp": now - timedelta(seconds=5)}, secret, algorithm="HS256"),
        "tampered": f"{header}.{_b64({'sub': '1', 'exp': int(soon.timestamp())})}.{signature}",
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "wrong algorithm": jwt.encode({"sub": user_id, "exp": soon}, secret, algorithm="HS512"),
        "other secret": jwt.encode({"sub": user_id, "exp": soon}, "not-ours", algorithm="HS256"),
        "no exp": jwt.encode({"sub": user_id}, secret, algorithm="HS256"),
        "no sub": jwt.encode({"exp": soon}, secret, algorithm="HS256"),
        "unknown user": jwt.encode({"sub": "987654", "exp": soon}, secret, algorithm="HS256"),
        # Signed with the key but saying what no token of ours says: each was a 500.
        "superscript subject": jwt.encode({"sub": "²", "exp": soon}, secret, algorithm="HS256"),
        "subject past any id": jwt.encode({"sub": "9" * 30, "exp": soon}, secret, algorithm="HS256"),
        "expiry past any date": jwt.encode({"sub": user_id, "exp": 10**30}, secret, algorithm="HS256"),
        "expiry as a huge float": jwt.encode({"sub": user_id, "exp": 1e300}, secret, algorithm="HS256"),
        "garbage": "not.a.token",
    }


def test_every_bad_token_is_401_with_bearer_challenge(client, auth_headers):
    for name, token in _bad_tokens(_user_id(client, auth_headers)).items():
        response = client.get("/tasks", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.headers["WWW-Authenticate"] == "Bearer", name


def test_missing_token_is_401(client):
    for method, path in [("GET", "/tasks"), ("POST", "/tasks/ping"), ("GET", "/auth/me")]:
        response = client.request(method, path)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_deactivated_user_is_locked_out(client, auth_headers):
    user_id = int(_user_id(client, auth_headers))
    with get_engine().begin() as conn:
        conn.execute(update(User).where(User.id == user_id).values(is_active=False))
    assert client.get("/tasks", headers=auth_headers).status_code == 401
    # A submit reads no user row first: its INSERT checks the user, and records nothing.
    for headers in (auth_headers, {**auth_headers, "Idempotency-Key": "k-1"}):
        assert client.post("/tasks/ping", headers=headers).status_code == 401
    assert _task_rows(user_id) == 0


def test_a_deleted_users_token_submits_nothing(client, auth_headers):
    user_id = int(_user_id(client, auth_headers))
    with get_engine().begin() as conn:
        conn.execute(delete(User).where(User.id == user_id))
    for headers in (auth_headers, {**auth_headers, "Idempotency-Key": "k-1"}):
        response = client.post("/tasks/ping", headers=headers)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert _task_rows(user_id) == 0


def _task_rows(user_id: int) -> int:
    with get_engine().connect() as conn:
        rows = select(func.count()).select_from(TaskStatus).where(TaskStatus.user_id == user_id)
        return conn.scalar(rows) or 0


@pytest.mark.parametrize("username", ["nul\x00@example.com", "\x00", "x" * 5000])
def test_odd_usernames_are_a_plain_401(client, username):
    response = client.post("/auth/token", data={"username": username, "password": "whatever1"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Incorrect email or password"


# The same address in another spelling: decomposed accents (as macOS keyboards type them),
# the domain in IDNA's ASCII form, a full-width letter in the domain.
@pytest.mark.parametrize(
    "email, other_spelling",
    [
        ("anne\u0301@example.com", "ann\u00e9@example.com"),
        ("bob@xn--bcher-kva.de", "bob@b\u00fccher.de"),
        ("carl@\uff45xample.com", "Carl@EXAMPLE.com"),
    ],
)
def test_an_address_signs_in_in_any_spelling_it_can_register_with(client, email, other_spelling):
    """Registration stores the address normalized (email-validator: NFC, the domain as
    Unicode); sign-in only lower-cased what it was given, so the very address a user
    registered with was refused (401) and only the stored spelling worked."""
    for address, expected in ((email, 201), (other_spelling, 409)):  # one account per address
        registered = client.post("/auth/register", json={"email": address, "password": "correct horse"})
        assert registered.status_code == expected, registered.text
    for username in (email, other_spelling):
        for path in ("/auth/token", "/auth/session"):
            response = client.post(path, data={"username": username, "password": "correct horse"})
            assert response.status_code == 200, (username, path, response.text)
