"""The shipped nginx config (deploy/nginx/quiz.conf) in front of a real gunicorn.

Slow clients (slowloris: headers trickled a line at a time) hold gunicorn's sync workers, one
each, so with more of them than workers nobody else is served; through nginx, which reads
every request in full before passing it on, the same server keeps answering. nginx also
enforces the app's body limit, and hands the app a length for a chunked body, which gunicorn
alone passes on without one (the app refuses it with 411).

Runs once, in the SQLite pass: nginx and gunicorn are real processes with their own files.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.server_support import ROOT, Server, free_port, server_env, stop

CONFIG = ROOT / "deploy" / "nginx" / "quiz.conf"
WORKERS = 2  # the documented small deployment: `WEB_CONCURRENCY=2`
SLOW_CLIENTS = 4
SERVED_WITHIN = 10  # seconds: generous, a healthy server answers in milliseconds
STARVED_FOR = 3  # seconds a starved server is watched not answering
POSTS_AT_THE_LIMIT = 20

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="runs once, in the SQLite pass (the servers use their own SQLite file)",
)


def nginx_binary():
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not found:
        pytest.fail("nginx not found; `make test` installs Debian's nginx package (`make nginx`).")
    return found


def render_site(listen_port, upstream_port):
    """The shipped site config with the test's ports (and no IPv6 listener: CI may lack IPv6)."""
    text = CONFIG.read_text()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{listen_port};"),
        ("listen [::]:80;", ""),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
    ):
        assert text.count(old) == 1, f"{old!r} is not in {CONFIG.name} exactly once"
        text = text.replace(old, new)
    return text


class Nginx:
    """nginx as an unprivileged instance: its own prefix, pid, temp and log files, in the foreground."""

    def __init__(self, directory: Path, listen_port, upstream_port):
        self.dir, self.port, self.process = directory, listen_port, None
        directory.mkdir()
        (directory / "quiz.conf").write_text(render_site(listen_port, upstream_port))
        # Run as root (CI), nginx would hand its workers to "nobody", who cannot open these files.
        user = "user root;" if os.geteuid() == 0 else ""
        (directory / "nginx.conf").write_text(
            f"""
            daemon off;
            {user}
            worker_processes 1;
            pid {directory}/nginx.pid;
            error_log {directory}/error.log info;
            events {{ worker_connections 256; }}
            http {{
                access_log {directory}/access.log;
                client_body_temp_path {directory}/client_body;
                proxy_temp_path {directory}/proxy;
                fastcgi_temp_path {directory}/fastcgi;
                uwsgi_temp_path {directory}/uwsgi;
                scgi_temp_path {directory}/scgi;
                include {directory}/quiz.conf;
            }}
            """
        )

    def command(self, *extra):
        return [
            nginx_binary(),
            "-p",
            str(self.dir),
            "-c",
            str(self.dir / "nginx.conf"),
            "-e",
            str(self.dir / "error.log"),
            *extra,
        ]

    def log_tail(self):
        path = self.dir / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def start(self):
        check = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, f"nginx -t refused the config:\n{check.stderr}"
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nginx exited:\n{self.log_tail()}"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"nginx did not listen within 20 s:\n{self.log_tail()}")

    def stop(self):
        stop(self.process, timeout=10)  # SIGTERM: nginx's fast shutdown


class SlowClients:
    """Connections that send a request's headers one line every half second, never finishing."""

    def __init__(self, port, count):
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
        self.stopped = threading.Event()
        for s in self.sockets:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self):
        line = 0
        while not self.stopped.wait(0.5):
            line += 1
            for s in self.sockets:
                try:
                    s.sendall(f"X-Slow-{line}: 1\r\n".encode())
                except OSError:
                    pass  # the server gave up on it: fine

    def close(self):
        self.stopped.set()
        self.thread.join(timeout=5)
        for s in self.sockets:
            s.close()


def send_request(port, request: bytes):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(request)
    return s


def read_response(s, within):
    """(status line, text) of the response on `s`, or None if none began within `within` seconds."""
    s.settimeout(within)
    response = http.client.HTTPResponse(s)
    try:
        response.begin()
    except TimeoutError:
        return None
    # Read by the response's length, not to the end: nginx keeps a refused upload's connection
    # open a while (lingering close) to take the rest of the body.
    return f"HTTP/1.1 {response.status} {response.reason}", response.read().decode(errors="replace")


HEALTH_CHECK = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def post_headers(length_header):
    return (
        "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n{length_header}\r\n\r\n"
    ).encode()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """gunicorn (2 sync workers, the project's config) and the shipped nginx config in front,
    started once for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("reverse-proxy")
    env = server_env(
        tmp_path / "db.sqlite3",  # /healthz needs only a database that answers
        GUNICORN_TIMEOUT="30",  # gunicorn's default: a held worker is freed only after this
        REDIS_URL="",
    )
    gunicorn = Server(env, free_port(), tmp_path / "gunicorn.log", workers=WORKERS)
    nginx = Nginx(tmp_path / "nginx", free_port(), gunicorn.port)
    try:
        gunicorn.start()
        nginx.start()
        yield gunicorn, nginx
    finally:
        nginx.stop()
        gunicorn.stop()


def test_the_shipped_body_limit_is_the_apps():
    size = re.search(r"^\s*client_max_body_size (\d+)k;", CONFIG.read_text(), re.M)
    assert size, "client_max_body_size is not set in kilobytes"
    assert int(size.group(1)) * 1024 == settings.MAX_REQUEST_BYTES


def test_slow_clients_starve_gunicorn_alone_but_not_through_nginx(servers):
    gunicorn, nginx = servers

    # Through nginx: the slow clients are held by nginx; gunicorn's workers stay free.
    slow = SlowClients(nginx.port, SLOW_CLIENTS)
    try:
        time.sleep(1)  # the slow clients are connected and trickling
        answer = read_response(send_request(nginx.port, HEALTH_CHECK), within=SERVED_WITHIN)
        assert answer is not None, "a request through nginx was not served while slow clients were connected"
        assert answer[0].endswith("200 OK") and '"status": "ok"' in answer[1]
    finally:
        slow.close()

    # Straight to gunicorn, for contrast: each slow client holds a worker, and the request waits.
    slow = SlowClients(gunicorn.port, SLOW_CLIENTS)
    try:
        time.sleep(1)
        waiting = send_request(gunicorn.port, HEALTH_CHECK)
        assert read_response(waiting, within=STARVED_FOR) is None, (
            "gunicorn alone was not starved (the contrast is gone)"
        )
    finally:
        slow.close()
    # Once the slow clients go, the waiting request is served: the server was busy, not broken.
    answer = read_response(waiting, within=SERVED_WITHIN)
    assert answer is not None and answer[0].endswith("200 OK"), gunicorn.log_tail()


def test_nginx_refuses_an_oversize_body_itself_and_passes_one_at_the_limit(servers):
    gunicorn, nginx = servers
    # Over the limit: nginx answers from the header alone, readably, and the app never sees it.
    s = send_request(nginx.port, post_headers(f"Content-Length: {settings.MAX_REQUEST_BYTES + 1}") + b"x" * 1000)
    status, text = read_response(s, within=SERVED_WITHIN)
    assert status.endswith("413 Request Entity Too Large")
    assert "at most 1 MB" in text and "Nothing was saved" in text
    # At the limit: passed on whole, and the app's own answer comes back (here CSRF's refusal,
    # since it carries no cookie), every time: not a 502 from gunicorn closing the connection
    # on a body it did not need (before the app discarded such bodies, 2 in 40 were).
    statuses = []
    for _ in range(POSTS_AT_THE_LIMIT):
        s = send_request(nginx.port, post_headers(f"Content-Length: {settings.MAX_REQUEST_BYTES}"))
        s.sendall(b"x" * settings.MAX_REQUEST_BYTES)
        statuses.append(read_response(s, within=SERVED_WITHIN)[0])
    assert statuses == ["HTTP/1.1 403 Forbidden"] * POSTS_AT_THE_LIMIT, statuses
    # The 413 never reached gunicorn: its log holds only the posts at the limit. (gunicorn
    # writes an access line after sending the response, so the last one may lag a moment.)
    logged = 0
    for _ in range(100):
        logged = gunicorn.log_path.read_text().count('path="/accounts/login/" status=')
        if logged >= POSTS_AT_THE_LIMIT:
            break
        time.sleep(0.05)
    assert logged == POSTS_AT_THE_LIMIT
    assert gunicorn.log_path.read_text().count('path="/accounts/login/" status=403') == POSTS_AT_THE_LIMIT


def test_a_chunked_body_gets_a_length_from_nginx_and_a_411_from_gunicorn_alone(servers):
    gunicorn, nginx = servers
    chunked = post_headers("Transfer-Encoding: chunked") + b"10\r\nusername=someone\r\n0\r\n\r\n"
    # gunicorn alone passes the body on without a length: the app refuses it instead of reading it as empty.
    status, text = read_response(send_request(gunicorn.port, chunked), within=SERVED_WITHIN)
    assert status.endswith("411 Length Required") and "Content-Length" in text
    # Through nginx it arrives whole, with a Content-Length, as any form post (here refused by CSRF).
    status, _ = read_response(send_request(nginx.port, chunked), within=SERVED_WITHIN)
    assert status.endswith("403 Forbidden")
    # And a chunked body past the limit is cut off by nginx as it arrives.
    s = send_request(nginx.port, post_headers("Transfer-Encoding: chunked"))
    big = b"x" * 65536
    try:
        for _ in range(settings.MAX_REQUEST_BYTES // len(big) + 2):
            s.sendall(b"%x\r\n%s\r\n" % (len(big), big))
    except OSError:
        pass  # nginx may stop reading once it has answered
    answer = read_response(s, within=SERVED_WITHIN)
    assert answer is not None and answer[0].endswith("413 Request Entity Too Large")
