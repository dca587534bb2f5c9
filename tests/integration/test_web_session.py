"""The web app's cookie session: HttpOnly/SameSite cookies, the CSRF double submit, the
Bearer API left as it was, and the page and its files served from the same process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.api.main import create_app
from backend.api.web_session import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from tests.support.seed import seed_task

# The cookie and CSRF layer in front of the routes; what the routes then do with the
# database the Bearer tests of each workload check on both back ends.
pytestmark = pytest.mark.backend_independent

RULE = {"pattern": "coffee", "category": "Eating out"}


def _sign_in(client, register, email: str = "web@example.com") -> str:
    """Register, sign in through /auth/session; returns the CSRF token."""
    register(email)
    client.cookies.clear()  # register() leaves none, but be sure the cookie is the only credential
    answer = client.post("/auth/session", data={"username": email, "password": "correct horse"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["user"]["email"] == email
    return str(body["csrf_token"])


def test_sign_in_sets_an_httponly_strict_session_and_a_readable_csrf_cookie(client, register) -> None:
    register("web@example.com")
    answer = client.post("/auth/session", data={"username": "web@example.com", "password": "correct horse"})
    assert answer.status_code == 200
    headers = [value.lower() for value in answer.headers.get_list("set-cookie")]
    session = next(value for value in headers if value.startswith(f"{SESSION_COOKIE}="))
    csrf = next(value for value in headers if value.startswith(f"{CSRF_COOKIE}="))
    assert "httponly" in session and "samesite=strict" in session and "path=/" in session
    assert "httponly" not in csrf and "samesite=strict" in csrf
    assert "secure" not in session  # plain http: a Secure cookie would never come back
    assert client.cookies[CSRF_COOKIE] == answer.json()["csrf_token"]


def test_the_cookie_is_secure_over_https(clean_db, redis_server, register) -> None:
    with TestClient(create_app(), base_url="https://testserver") as secure_client:
        secure_client.post("/auth/register", json={"email": "tls@example.com", "password": "correct horse"})
        credentials = {"username": "tls@example.com", "password": "correct horse"}
        answer = secure_client.post("/auth/session", data=credentials)
        assert answer.status_code == 200
        for value in answer.headers.get_list("set-cookie"):
            assert "secure" in value.lower()


def test_a_wrong_password_sets_no_cookie(client, register) -> None:
    register("web@example.com")
    answer = client.post("/auth/session", data={"username": "web@example.com", "password": "wrong password"})
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Incorrect email or password"
    assert "set-cookie" not in answer.headers


def test_reads_need_only_the_cookie(client, register) -> None:
    _sign_in(client, register)
    assert client.get("/auth/me").json()["email"] == "web@example.com"
    assert client.get("/rules").status_code == 200


def test_a_state_change_without_the_csrf_header_is_refused(client, register) -> None:
    csrf = _sign_in(client, register)
    missing = client.post("/rules", json=RULE)
    assert missing.status_code == 403
    assert "CSRF" in missing.json()["detail"]
    forged = csrf[:-1] + ("0" if csrf[-1] != "0" else "1")
    wrong = client.post("/rules", json=RULE, headers={CSRF_HEADER: forged})
    assert wrong.status_code == 403
    assert client.get("/rules").json()["total"] == 0  # nothing was saved
    assert client.post("/rules", json=RULE, headers={CSRF_HEADER: csrf}).status_code == 201
    assert client.get("/rules").json()["total"] == 1


def test_a_csrf_token_of_another_session_is_refused(client, register) -> None:
    other = _sign_in(client, register, "other@example.com")
    _sign_in(client, register, "web@example.com")
    assert client.post("/rules", json=RULE, headers={CSRF_HEADER: other}).status_code == 403


def test_the_bearer_api_needs_no_csrf_token(client, register, auth_headers) -> None:
    _sign_in(client, register)  # a cookie of another user is present and ignored
    created = client.post("/rules", json=RULE, headers=auth_headers)
    assert created.status_code == 201
    assert client.get("/rules", headers=auth_headers).json()["total"] == 1
    assert client.get("/rules").json()["total"] == 0  # the cookie's user has none


def test_the_event_stream_accepts_the_cookie(client, register) -> None:
    _sign_in(client, register)
    user_id = client.get("/auth/me").json()["id"]
    task_id = seed_task(user_id, "SUCCESS", progress_percent=100)
    with client.stream("GET", f"/tasks/{task_id}/events") as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        body = "".join(stream.iter_text())
    assert "event: status" in body and '"SUCCESS"' in body


def test_someone_elses_task_is_404_through_the_cookie_too(client, register) -> None:
    owner = register("owner@example.com")
    owner_id = client.get("/auth/me", headers=owner).json()["id"]
    task_id = seed_task(owner_id, "SUCCESS")
    _sign_in(client, register)
    assert client.get(f"/tasks/{task_id}/status").status_code == 404


def test_sign_out_clears_the_cookies(client, register) -> None:
    csrf = _sign_in(client, register)
    assert client.delete("/auth/session").status_code == 403  # the CSRF token is needed here too
    answer = client.delete("/auth/session", headers={CSRF_HEADER: csrf})
    assert answer.status_code == 204
    assert SESSION_COOKIE not in client.cookies
    assert client.get("/auth/me").status_code == 401


def test_an_invalid_cookie_is_401(client) -> None:
    client.cookies.set(SESSION_COOKIE, "not-a-token")
    answer = client.get("/auth/me")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Could not validate credentials"


def test_the_page_and_its_files_are_served(client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module" src="/web/js/app.js">' in page.text
    script = client.get("/web/js/app.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert client.get("/web/css/app.css").headers["content-type"].startswith("text/css")
    for outside in ("/web/../api/web.py", "/web/%2e%2e/api/web.py", "/web/js/missing.js", "/web/"):
        answer = client.get(outside)
        assert answer.status_code == 404, outside
        assert "detail" in answer.json()


@pytest.mark.parametrize(
    "path",
    ["/web/a%00b.js", "/web/%00", "/web/" + "a" * 300 + ".js", "/web/" + "a" * 300 + "/x.js"],
    ids=["nul", "bare-nul", "long-name", "long-folder"],
)
def test_a_path_no_file_can_have_is_404(client, path) -> None:
    """A NUL (Path.resolve raises ValueError) or a name longer than the file system takes
    (Path.is_file raises ENAMETOOLONG) answered 500."""
    answer = client.get(path)
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == "Not found"
