"""A gunicorn server on the test's database, for drills that kill its workers."""

# The meetings fixtures are imported to be used here; pytest passes them by name.
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CSRF_INPUT, free_port
from tests.meetings.conftest import (  # noqa: F401 (fixtures)
    coordinator,
    in_session,
    item_for,
    meeting,
    members,
    network,
    period,
    proposal,
)

ROOT = Path(__file__).resolve().parents[2]


class Browser:
    """A person's browser against the server: cookies kept, CSRF tokens read from pages."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 (http only)

    def post(self, path: str, data: dict, timeout: float = 30) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        return self._open(request, timeout)

    def post_files(
        self, path: str, fields: dict, files: dict[str, tuple[str, str, bytes]], timeout=60
    ) -> tuple[int, str, dict]:
        """A multipart form, as a browser sends one with a file; also the answer's headers."""
        boundary = "----drill" + os.urandom(8).hex()
        body = bytearray()
        for name, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        for name, (filename, content_type, content) in files.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            body += content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310 (http only)
            self.base + path,
            data=bytes(body),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def download(self, path: str, timeout=60) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.base + path)  # noqa: S310 (http only)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def token(self, path: str) -> str:
        return CSRF_INPUT.search(self.get(path)[1]).group(1)

    def login(self, email: str, password: str) -> None:
        token = self.token("/auth/login")
        status, _ = self.post(
            "/auth/login", {"csrf_token": token, "email": email, "password": password}
        )
        assert status == 302

    def _open(self, request, timeout: float = 30) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Gunicorn:
    def __init__(
        self, database_url: str, upload_dir: Path, *, workers: int = 1, env: dict | None = None
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "drill-" + "x" * 40,
            "GRANTS_ENV": "development",
            "UPLOAD_DIR": str(upload_dir),
            **(env or {}),
        }
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                f"--workers={workers}",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=120",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.wait_ready()

    def wait_ready(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if Browser(self.base).get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read1().decode())

    def workers(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = re.sub(r"\(.*\)", "x", stat.read_text()).split()
            except OSError:
                continue
            if int(fields[3]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def gunicorn(database_url, tmp_path):
    server = Gunicorn(database_url, tmp_path / "uploads")
    yield server
    server.stop()
