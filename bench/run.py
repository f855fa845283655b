"""`make bench`: generate district-scale data, time the main pages and run a load test, on
SQLite and on PostgreSQL; write bench/RESULTS.md.

Each database gets its own benchmark database (never the development or test ones):
  SQLite      bench/data/bench.sqlite3
  PostgreSQL  $BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/quiz_bench (created if missing)

    .venv/bin/python bench/run.py                 # the full run (about 20 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick         # small data, short load run: a quick check
    .venv/bin/python bench/run.py --db postgres --skip-load
    .venv/bin/python bench/imports.py --write-results   # import parsing only (no database)
"""

import argparse
import datetime
import json
import os
import platform
import subprocess  # nosec B404 - runs our own manage.py and bench scripts
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
PY = sys.executable
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/quiz_bench")
DATABASES = {"sqlite": f"sqlite:///{DATA / 'bench.sqlite3'}", "postgres": PG_URL}
HEAVY_TARGET_MS = 200
SIZE_LIMIT_KB = 60
# The generator is a bench-only app, installed by the bench settings alone (bench/settings.py);
# everything else runs on the app's own settings.
BENCH_DATA = ["manage.py", "bench_data", "--settings=bench.settings"]


def log(message):
    print(message, flush=True)


def sh(args, env, timeout, capture=False):
    started = time.monotonic()
    result = subprocess.run(  # nosec B603
        [PY, *args], cwd=ROOT, env=env, timeout=timeout, text=True,
        stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode})\n{(result.stdout or '')[-3000:]}")
    return result.stdout or "", time.monotonic() - started


def ensure_pg_database(url):
    """Create the benchmark database when it is missing (the server trusts local connections)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')  # nosec B608 - our own configured name
            log(f"  created database {name}")


def machine():
    info = {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            (line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("model name")), ""
        )
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["ram_gb"] = round(int(mem) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def generate(label, env, args):
    """Synthetic data on the benchmark database (kept when a rerun asks for the same); returns what
    the report says of it."""
    scale = [] if args.quick else ["--full"]
    reset = ["--reset"] if args.regenerate else []
    log(f"  generating synthetic data ({'small' if args.quick else 'full'} scale)…")
    try:
        out, seconds = sh([*BENCH_DATA, *scale, *reset], env, 3600, capture=True)
    except RuntimeError as exc:
        if "--reset" not in str(exc):
            raise
        # Data of another scale (say, from a --quick run): replace it.
        out, seconds = sh([*BENCH_DATA, *scale, "--reset"], env, 3600, capture=True)
    record = DATA / f"generate-{label}.json"
    if "nothing to do" in out and record.exists():
        # The data is an earlier run's: report how long generating it took then.
        return {**json.loads(record.read_text()), "reused": True}
    generated = {"output": out.strip().splitlines()[-1] if out.strip() else "", "wall_s": seconds,
                 "reused": "nothing to do" in out, "at": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"}  # fmt: skip
    record.write_text(json.dumps(generated))
    return generated


def run_database(label, url, args):
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = {"label": label, "url": url.split("@")[-1]}
    log(f"\n== {label}: {result['url']}")
    if label == "postgres":
        ensure_pg_database(url)
    sh(["manage.py", "migrate", "--noinput", "-v0"], env, 600)
    sh(["manage.py", "load_interview"], env, 600, capture=True)
    sh(["manage.py", "generate_questions"], env, 900, capture=True)
    result["generate"] = generate(label, env, args)
    log("  " + result["generate"]["output"])
    pages_json = DATA / f"pages-{label}.json"
    repeat = ["--repeat", "10", "--heavy-repeat", "5"] if args.quick else []
    sh([str(BENCH / "pages.py"), "--out", str(pages_json), *repeat], env, 1800)
    result["pages"] = json.loads(pages_json.read_text())
    if not args.skip_load:
        load_json = DATA / f"load-{label}.json"
        seconds = ["--seconds", str(args.seconds), "--users", str(args.users)]
        log("  load run…")
        sh([str(BENCH / "load.py"), "--out", str(load_json), *seconds], env, 1800)
        result["load"] = json.loads(load_json.read_text())
    return result


# --- The report --------------------------------------------------------------------------


def ok(flag):
    return "✅" if flag else "❌"


def kb(n):
    return f"{n / 1024:.1f}"


def render(results, info, started, finished, args):
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `make bench` (`bench/run.py{' --quick' if args.quick else ''}`) on "
        f"{started:%Y-%m-%d %H:%M} UTC; the whole run took {(finished - started).total_seconds() / 60:.1f} min.",
        "",
        "## Machine",
        "",
        f"- CPU: {info.get('cpu', '?')}, {info['cores']} cores; RAM {info.get('ram_gb', '?')} GB; {info['platform']}",
        f"- Python {info['python']}, Django {first(results, 'django')}; "
        + "; ".join(r["pages"]["versions"]["database"] for r in results if "pages" in r),
        f"- Load average when the run started: {info['loadavg_start']}; when it ended: {info['loadavg_end']} "
        "(the machine is shared: other work running at the same time slows every number here).",
        "",
        "Server time is measured in-process with Django's test Client against the benchmark database "
        "(not a test database), so it includes middleware, sessions, the ORM and template rendering, but "
        "no network. *Queries* is the count for the measured subject; *small* is the same page for a "
        "much smaller subject (a class of ~30 instead of 500, a student with a few answers, a short set): "
        "equal counts show the page does not issue more queries as data grows. *First* is one request "
        "right after clearing the cache (the process's first request to a page also pays one-off warm-up). Sizes are gzip-compressed "
        "bytes: the page's HTML plus every stylesheet and script it loads (htmx included); htmx fragments "
        "count only themselves (their page has loaded the assets).",
    ]
    for r in results:
        lines += database_section(r)
    lines += targets_section(results)
    lines += [
        "",
        "## How to run",
        "",
        "```sh",
        "make bench                                   # full scale, both databases, load runs",
        ".venv/bin/python bench/run.py --quick        # small scale, a quick check",
        ".venv/bin/python bench/run.py --db postgres --skip-load",
        ".venv/bin/python bench/imports.py --write-results   # import parsing only (no database)",
        ".venv/bin/python manage.py bench_data --settings=bench.settings --reset-only   # remove the bench_* users' data",
        "```",
        "",
    ]
    return "\n".join(lines)


def first(results, key):
    for r in results:
        if "pages" in r:
            return r["pages"]["versions"][key]
    return "?"


def database_section(r):
    lines = ["", f"## {r['pages']['versions']['database'] if 'pages' in r else r['label']}", ""]
    if "error" in r:
        return lines + [f"**Not measured:** {r['error']}"]
    pages = r["pages"]
    lines += data_lines(r["generate"], pages["data"])
    lines += [
        "",
        "| page | median ms | p95 ms | first ms | queries | small | gzip KB (HTML + assets) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [page_row(p) for p in pages["pages"]]
    if pages["skipped"]:
        lines += ["", "Not measurable: " + "; ".join(f"{s['name']} ({s['why']})" for s in pages["skipped"])]
    # The time targets are for PostgreSQL; there the slow queries are explained.
    for p in pages["pages"]:
        if p.get("explain"):
            lines += over_target_lines(p)
    if "load" in r:
        lines += load_section(r["load"])
    return lines


def data_lines(g, d):
    reused = f" This run reused that data, generated by {g.get('at', 'an earlier run')} with the same parameters."
    return [
        f"Data: {d['students']:,} synthetic students, {d['classes']:,} classes, {d['question_sets']:,} question sets, "
        f"{d['attempts']:,} attempts, {d['answers']:,} answers, over {d['questions']:,} live questions.",
        "",
        f"Generation: {g['output']}"
        + f" Wall time {g['wall_s']:.0f} s (the command's own figure excludes start-up)."
        + (reused if g["reused"] else ""),
    ]


def page_row(p):
    small = p.get("queries_small")
    same = "" if small is None else f"{small} {ok(small == p['queries'])}"
    target = f" (target {p['target_ms']})" if p.get("target_ms") else ""
    status = "" if p["status"] < 400 else f" **HTTP {p['status']}**"
    htmx = " (htmx)" if p["htmx"] and "htmx" not in p["name"] else ""
    size = p["size"]
    assets = sum(a["gzip"] for a in size["assets"])
    return (
        f"| {p['name']}{htmx}{status} "
        f"| {p['median_ms']:.1f}{target} | {p['p95_ms']:.1f} | {p['first_ms']:.1f} | {p['queries']} | {same} "
        f"| {kb(size['total_gzip'])} ({kb(size['html_gzip'])} + {kb(assets)}) |"
    )


def over_target_lines(p):
    lines = [
        "",
        f"### Over target: {p['name']} ({p['median_ms']:.0f} ms)",
        "",
        f"Of one request, {p['query_ms']:.0f} ms is spent in its {p['queries']} queries; the rest is Python "
        "and template rendering. Slowest queries:",
        "",
    ]
    lines += [f"- {q['ms']:.1f} ms: `{q['sql'][:400]}{'…' if len(q['sql']) > 400 else ''}`" for q in p["slowest"]]
    for e in p.get("explain", []):
        # Long IN (...) lists of ids say nothing; keep each plan line readable.
        plan = "\n".join(line if len(line) <= 240 else line[:240] + " …" for line in e["plan"].splitlines())
        lines += ["", "```", plan, "```"]
    return lines


RUN_LABELS = ("flow", "floor", "answer_response", "trivial")


def load_section(load):
    flow = load["flow"]
    runs = [load[label] for label in RUN_LABELS if load.get(label)]
    lines = [
        "",
        f"### Load run ({load['server']}; cache: {load.get('cache', 'local memory')}; {flow['users']} simulated students, measured for "
        f"{flow['window_s']:.0f} s once all had logged in, after {flow['ready_after_s'] or 0:.0f} s of logins)",
        "",
        "| request | requests/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for run in runs:
        for name, s in run["requests"].items():
            lines.append(f"| {name} | {s['rps']:.1f} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['p99_ms']:.0f} |")
    return lines + ratio_lines(load_ratios(load)) + error_lines(load, runs)


def ratio_lines(r):
    lines = []
    if r["answer"] and r["trivial"] and r["floor"]:
        lines += [
            "",
            f"One answer (its POST and the GET of the next question) costs the server as much as "
            f"{r['trivial'] / r['answer']:.0f} trivial requests, or {r['floor'] / r['answer']:.1f} signed-in floor requests. "
            "The floor is the cheapest request a signed-in student can make (the session and the user are read, "
            f"nothing else); it runs at {r['floor'] / r['trivial']:.2f} of the trivial view.",
        ]
    if r["answer_response"] and r["trivial"]:
        lines += [
            "",
            "The answer response floor adds to it what every answer's response must do however the answer is "
            "scored and recorded: render the feedback (here from data already in memory, nothing scored, "
            f"nothing written). It runs at {r['answer_response'] / r['trivial']:.2f} of the trivial view: the most "
            "any answer-submit design with signed-in students and server-rendered feedback could reach on this "
            'machine, before a single query of its own (see README, "Performance").',
        ]
    return lines


def error_lines(load, runs):
    errors = {f"{k} ({label} run)": v for label in RUN_LABELS for k, v in load.get(label, {}).get("errors", {}).items()}
    lines = ["", f"Errors: {sum(errors.values())}" + (f" ({errors})" if errors else "") + "."]
    messages = {k: v for run in runs for k, v in run.get("error_messages", {}).items()}
    for name, found in messages.items():
        lines += [f"- {name}: " + "; ".join(f"`{m}`" for m in found)]
    return lines


def _rps(load, label, name):
    return load.get(label, {}).get("requests", {}).get(name, {}).get("rps", 0)


def load_ratios(load):
    """Requests per second of the answers, the answer flow (both its requests), the two floors and
    the trivial view."""
    return {
        "answer": _rps(load, "flow", "answer submit (htmx)"),
        "flow": _rps(load, "flow", "answer submit (htmx)") + _rps(load, "flow", "next question (htmx)"),
        "floor": _rps(load, "floor", "signed-in floor (/bench/signed-in)"),
        "answer_response": _rps(load, "answer_response", "answer response floor (/bench/answer-response)"),
        "trivial": _rps(load, "trivial", "trivial view (/healthz)"),
    }


def targets_section(results):
    lines = ["", "## Targets", "", "| target | database | result |", "|---|---|---|"]
    for r in results:
        if "pages" in r:
            lines += page_targets(r["label"], r["pages"]["pages"])
        if "pages" in r and "load" in r:
            lines += load_targets(r["label"], r["load"])
    return lines


def page_targets(db, pages):
    compared = [p for p in pages if p.get("queries_small") is not None]
    grown = [p["name"] for p in compared if p["queries_small"] != p["queries"]]
    lines = [
        f"| query count constant as data grows | {db} | {ok(not grown)} "
        + (f"grows on: {', '.join(grown)}" if grown else f"{len(compared)} pages compared")
        + " |"
    ]
    for p in (p for p in pages if p.get("target_ms")):
        verdict = ok(p["median_ms"] < p["target_ms"]) if db == "postgres" else "(target is for PostgreSQL)"
        lines.append(f"| {p['name']} < {p['target_ms']} ms | {db} | {verdict} median {p['median_ms']:.0f} ms |")
    return lines + size_targets(db, pages)


def size_targets(db, pages):
    over = [p for p in pages if not p["htmx"] and p["size"]["total_gzip"] > SIZE_LIMIT_KB * 1024]
    largest = max((p for p in pages if p["path"] != "/healthz"), key=lambda p: p["size"]["total_gzip"])
    lines = [
        f"| every page < {SIZE_LIMIT_KB} KB gzip incl. CSS/JS | {db} | {ok(not over)} largest: {largest['name']} "
        f"{kb(largest['size']['total_gzip'])} KB |"
    ]
    failed = [p["name"] for p in pages if p["status"] >= 400]
    if failed:
        lines.append(f"| every page answers 2xx/3xx | {db} | ❌ {', '.join(failed)} |")
    return lines


def load_targets(db, load):
    rates = load_ratios(load)
    answer, trivial, floor, response = rates["answer"], rates["trivial"], rates["floor"], rates["answer_response"]
    errors = sum(sum(load.get(run, {}).get("errors", {}).values()) for run in RUN_LABELS)
    lines = [f"| load run: zero errors | {db} | {ok(errors == 0)} {errors} errors |"]
    if not trivial:
        return lines
    lines.append(
        f"| answer submit ≥ ½ the trivial view's throughput | {db} | {ok(answer >= trivial / 2)} "
        f"{answer:.1f} answers/s vs {trivial:.1f}/s = {answer / trivial:.2f}; counting each answer's two "
        f"requests (next-question GET + answer POST): {rates['flow']:.1f}/s = {rates['flow'] / trivial:.2f} |"
    )
    if floor:
        lines.append(
            f"| (reference) the signed-in floor: a page that only reads the session and the user | {db} | "
            f"{floor:.1f}/s = {floor / trivial:.2f} of the trivial view |"
        )
    if response:
        lines.append(
            f"| (reference) the answer response floor: the signed-in floor plus rendering an answer's feedback "
            f"from memory | {db} | {response:.1f}/s = {response / trivial:.2f} of the trivial view |"
        )
    return lines


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Small data and a short load run.")
    parser.add_argument("--db", default="sqlite,postgres", help="Comma-separated: sqlite, postgres.")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--regenerate", action="store_true", help="Replace synthetic data even if already present.")
    parser.add_argument("--seconds", type=int, default=None, help="Load run length (30, or 10 with --quick).")
    parser.add_argument("--users", type=int, default=None, help="Simulated students (40, or 10 with --quick).")
    parser.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    args = parser.parse_args()
    args.seconds = args.seconds or (10 if args.quick else 30)
    args.users = args.users or (10 if args.quick else 40)
    return args


def run_databases(args):
    """Each database asked for, in turn; one that fails is reported and the others still run."""
    results = []
    for label in [x.strip() for x in args.db.split(",") if x.strip()]:
        try:
            results.append(run_database(label, DATABASES[label], args))
        except Exception as exc:  # report it and go on with the other database
            log(f"  {label} FAILED: {exc}")
            results.append({"label": label, "error": str(exc)[-2000:]})
    return results


def main():
    args = parse_args()
    DATA.mkdir(exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    info = machine()
    info["loadavg_start"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    sh(["manage.py", "collectstatic", "--noinput", "-v0"], env, 600)
    results = run_databases(args)
    info["loadavg_end"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    finished = datetime.datetime.now(datetime.UTC)
    Path(args.out).write_text(render(results, info, started, finished, args))
    # Import parsing needs no database; it adds its own section to the results.
    try:
        sh([str(BENCH / "imports.py"), "--write-results", "--results", args.out], env, 900)
    except RuntimeError as exc:  # a missed target is in its section; report anything else
        log(f"  imports: {str(exc)[-500:]}")
    (DATA / "results.json").write_text(json.dumps({"machine": info, "results": results}, indent=1, default=str))
    log(f"\nWrote {args.out} ({(finished - started).total_seconds() / 60:.1f} min).")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
