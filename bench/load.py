"""The load run: gunicorn on a free loopback port, locust (headless, bounded in time) with
simulated students answering questions, then the same students loading the cheapest signed-in
page (the floor), then that page plus an answer's feedback rendered from memory (the answer
response floor), then the same load on the trivial view (/healthz).

Writes one JSON report; stops gunicorn whatever happens. Called by bench/run.py in a
process whose DATABASE_URL names the benchmark database.
"""

import argparse
import json
import os
import signal
import socket
import subprocess  # nosec B404 - runs our own gunicorn and locust
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


# Each run: (report key, locust user class). The answer flow, then the two floors under it, then the
# trivial baseline, all against the same gunicorn.
RUNS = (("flow", "Student"), ("floor", "SignedIn"), ("answer_response", "AnswerResponse"), ("trivial", "Trivial"))


def load_accounts(count, path):
    """Synthetic students outside the class of 500, spread over the classes, with their sets."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from bench.benchdata.shape import HOT_SET_TITLE, PASSWORD, PREFIX
    from quiz.models import Assignment

    hot = Assignment.objects.filter(question_set__title=HOT_SET_TITLE).values_list("classroom_id", flat=True).first()
    students = list(
        get_user_model()
        .objects.filter(username__startswith=f"{PREFIX}s", enrollments__isnull=False)
        .exclude(enrollments__classroom_id=hot)
        .order_by("username")
        .values_list("pk", "username")
    )
    step = max(1, len(students) // count)
    chosen = students[::step][:count]
    sets = {}
    for student_id, set_id in Assignment.objects.filter(
        classroom__enrollments__student__in=[pk for pk, _ in chosen]
    ).values_list("classroom__enrollments__student", "question_set_id"):
        sets.setdefault(student_id, []).append(set_id)
    accounts = [{"username": name, "sets": sets[pk]} for pk, name in chosen if sets.get(pk)]
    Path(path).write_text(json.dumps({"password": PASSWORD, "students": accounts}))
    return len(accounts)


def load_redis_url():
    """Redis for the server's cache and sessions, as in production (README "Deploying"):
    REDIS_URL when set, else the local Redis when one answers, else none."""
    url = os.environ.get("REDIS_URL") or os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:  # no server, or a URL it refuses: the load run goes on without Redis
        return ""
    return url


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # nosec B310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {base} within {seconds} s")


def locust(user_class, base, users, seconds, warmup, out, accounts_file):
    env = {
        **os.environ,
        "BENCH_LOAD_OUT": str(out),
        "BENCH_SECONDS": str(seconds),
        "BENCH_USERS": str(users),
        "BENCH_LOAD_USERS": str(accounts_file),
    }
    command = [
        str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), user_class,
        # Students arrive over ~20 s, as a class does, rather than all in the same instant:
        # each login hashes a password on purpose, and a pile of them would time out.
        "--headless", "--users", str(users), "--spawn-rate", str(max(1, users // 20)),
        # A hard cap; the locustfile stops the run once its measured window is over.
        "--run-time", f"{int(warmup + seconds)}s", "--stop-timeout", "5",
        "--host", base, "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=warmup + seconds + 120)  # nosec B603
    if result.returncode != 0 or not Path(out).exists():
        raise SystemExit(f"locust failed ({result.returncode}):\n{result.stderr[-3000:]}")
    report = json.loads(Path(out).read_text())
    report["wall_s"] = time.monotonic() - started
    report["users"] = users
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=180, help="At most this long for every user to log in.")
    parser.add_argument("--users", type=int, default=40)
    args = parser.parse_args()
    out = Path(args.out)
    accounts_file = out.with_name(out.stem + "-accounts.json")
    n_accounts = load_accounts(args.users, accounts_file)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    redis_url = load_redis_url()
    env = {
        **os.environ,
        # The app's settings plus the two floors' URLs (bench/settings.py).
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "REDIS_URL": redis_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": os.devnull,
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
    }
    config = ROOT / "config" / "gunicorn.conf.py"
    command = [str(BIN / "gunicorn"), "--chdir", str(ROOT)]
    command += (
        ["-c", str(config)]
        if config.exists()
        else ["--bind", env["GUNICORN_BIND"], "--workers", str(2 * os.cpu_count() + 1)]
    )
    command.append("config.wsgi")
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # nosec B603
    try:
        wait_until_up(base)
        workers = int(env.get("WEB_CONCURRENCY") or (2 * os.cpu_count() + 1))
        print(
            f"  gunicorn on {base} ({workers} workers); {args.users} simulated students, "
            f"measured for {args.seconds:.0f} s once all have logged in",
            flush=True,
        )
        load_before = os.getloadavg()
        runs = {
            name: locust(
                user_class,
                base,
                args.users,
                args.seconds,
                args.warmup,
                out.with_name(f"{out.stem}-{name}.json"),
                accounts_file,
            )
            for name, user_class in RUNS
        }
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    report = {
        "server": f"gunicorn, {workers} sync workers, 127.0.0.1",
        "cache": "Redis (sessions: cached_db)" if redis_url else "local memory (sessions: database)",
        "accounts": n_accounts,
        **runs,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
    }
    out.write_text(json.dumps(report, indent=1))
    answer = runs["flow"]["requests"].get("answer submit (htmx)", {})
    rps = {
        name: next(iter(runs[name]["requests"].values()), {}).get("rps", 0)
        for name in ("floor", "answer_response", "trivial")
    }
    errors = sum(sum(run["errors"].values()) for run in runs.values())
    print(
        f"  answer submit {answer.get('rps', 0):.1f}/s (p95 {answer.get('p95_ms', 0):.0f} ms), signed-in floor "
        f"{rps['floor']:.1f}/s, answer response floor {rps['answer_response']:.1f}/s, trivial {rps['trivial']:.1f}/s, errors {errors}",
        flush=True,
    )


if __name__ == "__main__":
    main()
