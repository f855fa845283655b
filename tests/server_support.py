"""Real server processes for the tests that need them (a gunicorn restarted mid-quiz, nginx in
front of gunicorn): a free loopback port, the environment a server process gets, gunicorn with
the project's config, and stopping a process politely, then firmly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_path, **extra):
    """This process's environment without pytest's and the test database's settings, pointed
    at its own SQLite file: what a server started by hand would see."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_ALLOW")) and key != "TEST_DATABASE_NAME"
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database_path}",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def stop(process, sig=signal.SIGTERM, timeout=20):
    """Send `sig`; kill the process if it has not ended within `timeout` seconds."""
    if process and process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Server:
    """gunicorn with the project's config, one worker (unless told), on a free loopback port."""

    def __init__(self, env, port, log_path, workers=1):
        self.env, self.port, self.log_path, self.process = env, port, log_path, None
        self.workers = workers

    def log_tail(self):
        return self.log_path.read_text(errors="replace")[-3000:]

    def start(self):
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(self.workers)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log_tail()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:  # nosec B310
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not become healthy within 60 s:\n{self.log_tail()}")

    def stop(self):
        stop(self.process)
