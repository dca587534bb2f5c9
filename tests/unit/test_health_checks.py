"""deploy/healthcheck.py, the container health checks: an HTTP endpoint that answers, and a
file that keeps changing (beat's schedule)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy.healthcheck import check_fresh, check_http
from tests.support import REPO_ROOT
from tests.support.net import free_port


class Answers(BaseHTTPRequestHandler):
    """/ok answers 200, /down 503, /slow after 3 s."""

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)
        self.send_response({"/ok": 200, "/slow": 200}.get(self.path, 503))
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_http_is_healthy_on_2xx_only(server):
    assert check_http(f"{server}/ok") is None
    assert "503" in check_http(f"{server}/down")
    assert "did not answer" in check_http(f"http://127.0.0.1:{free_port()}/health")
    assert "did not answer" in check_http(f"{server}/slow", timeout=0.5)
    assert "not an http" in check_http("file:///etc/passwd")


def test_fresh_needs_a_recent_file(tmp_path):
    pattern = str(tmp_path / "celerybeat-schedule*")
    assert "no file matches" in check_fresh(pattern, 600)
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"x")
    now = time.time()
    assert check_fresh(pattern, 600, now=now) is None
    os.utime(tmp_path / "celerybeat-schedule.db", (now - 700, now - 700))
    assert "700 s ago" in check_fresh(pattern, 600, now=now)
    (tmp_path / "celerybeat-schedule.dir").write_bytes(b"y")  # dbm.dumb writes two files
    assert check_fresh(pattern, 600) is None


@pytest.mark.parametrize(
    ("args", "status"),
    [(["http", "/ok"], 0), (["http", "/down"], 1), (["fresh", "/nowhere/x*", "60"], 1), (["what"], 1)],
)
def test_the_command_line_exit_status(server, args, status):
    args = [f"{server}{arg}" if arg.startswith("/") and args[0] == "http" else arg for arg in args]
    done = subprocess.run([sys.executable, "deploy/healthcheck.py", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == status, done.stdout
    assert done.stdout.strip()
