"""`make bench`: the main pages against the floor, on SQLite and PostgreSQL.

For each database: seed (regional by default), serve the app and the floor app
with gunicorn (2 workers each), sign in, drive each page at a fixed concurrency
(wrk when Debian's is installed, else bench/loadgen.py), and write every figure
as a ratio to the floor measured in the same run. Results go to
bench/results.json and docs/benchmarks.md.

    python -m bench.run [--backend sqlite|postgresql|both] [--scale regional|x10|small]
                        [--seconds 10] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench import loadgen
from bench.pages import main_pages

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "Tillsammans-2026!"  # noqa: S105 (the demo data's published password)
TARGET_THROUGHPUT = 0.6
TARGET_P95 = 2.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "grants", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _pg_database(name: str) -> str:
    psql = shutil.which("psql") or "/usr/bin/psql"
    for statement in (
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}"',
    ):
        subprocess.run([psql, PG_ADMIN, "-qc", statement], check=True)  # noqa: S603
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def database_urls(backend: str) -> tuple[str, str]:
    """Fresh databases for the app and for the floor."""
    WORK.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        for name in ("app.sqlite", "floor.sqlite"):
            for suffix in ("", "-wal", "-shm"):
                (WORK / f"{name}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{WORK / 'app.sqlite'}", f"sqlite:///{WORK / 'floor.sqlite'}"
    return _pg_database("grants_bench"), _pg_database("grants_bench_floor")


class Server:
    def __init__(self, target: str, env: dict, workers: int = 2):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                f"--workers={workers}",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
                target,
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{target} did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


def sign_in(base: str, email: str) -> str:
    """A session cookie header for ``email``, signed in through the real form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
    opener.open(base + "/auth/login", data=data.encode())
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def measure(url: str, *, seconds: float, concurrency: int, cookie: str | None) -> dict:
    headers = {"Cookie": cookie} if cookie else {}
    loadgen.run(url, concurrency=concurrency, seconds=min(2.0, seconds), headers=headers)  # warm
    wrk = shutil.which("wrk")
    if wrk:
        result = _wrk(wrk, url, seconds=seconds, concurrency=concurrency, headers=headers)
    else:
        result = loadgen.run(url, concurrency=concurrency, seconds=seconds, headers=headers)
    return {
        "throughput": round(result.throughput, 1),
        "p50_ms": round(result.p50_ms, 1),
        "p95_ms": round(result.p95_ms, 1),
        "requests": result.requests,
        "errors": result.errors,
        "tool": "wrk" if wrk else "bench/loadgen.py",
    }


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %f %f %f %f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def _wrk(wrk: str, url: str, *, seconds: float, concurrency: int, headers: dict):
    script = WORK / "report.lua"
    script.write_text(WRK_SCRIPT)
    command = [wrk, f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{int(seconds)}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603
        [*command, "-s", str(script), url], capture_output=True, text=True, check=True
    ).stdout
    parts = re.search(r"RESULT (.*)", output).group(1).split()
    requests, errors = int(parts[0]), int(parts[1])
    return loadgen.Result(requests, errors, float(parts[2]), *map(float, parts[3:6]))


def pages(env: dict) -> tuple[dict[str, tuple[str, str | None]], dict]:
    """The main pages of the seeded data (bench/pages.py), found by a child process on
    the same database."""
    code = (
        "import json\n"
        "from grants import create_app\n"
        "from bench.pages import find_ids\n"
        "with create_app().app_context():\n"
        "    print(json.dumps(find_ids()))\n"
    )
    found = json.loads(
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return main_pages(found), found


def bench_backend(backend: str, scale: str, seconds: float, concurrency: int) -> dict:
    app_url, floor_url = database_urls(backend)
    env = {
        **os.environ,
        "DATABASE_URL": app_url,
        "GRANTS_ENV": "development",
        "SECRET_KEY": "bench-" + "k" * 40,
        "UPLOAD_DIR": str(WORK / "uploads"),
        "RATELIMIT_ENABLED": "false",
    }
    started = time.perf_counter()
    for args in (("db", "upgrade"), ("demo", "seed", "--scale", scale)):
        done = _flask(env, *args)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {done.stderr[-2000:]}")
    seed_seconds = time.perf_counter() - started
    floor_env = {**env, "DATABASE_URL": floor_url}
    subprocess.run(
        [sys.executable, "-m", "bench.floor_app", "seed"], cwd=ROOT, env=floor_env, check=True
    )

    verify_started = time.perf_counter()
    verified = _flask(env, "audit", "verify")
    verify_seconds = time.perf_counter() - verify_started

    paths, found = pages(env)
    app_server = Server("wsgi:app", env)
    floor_server = Server("bench.floor_app:create_app()", floor_env)
    try:
        cookies = {
            role: sign_in(app_server.base, found[role]) for role in ("coordinator", "auditor")
        }
        floor_before = measure(
            floor_server.base + "/", seconds=seconds, concurrency=concurrency, cookie=None
        )
        results = {}
        for name, (path, role) in paths.items():
            figures = measure(
                app_server.base + path,
                seconds=seconds,
                concurrency=concurrency,
                cookie=cookies.get(role),
            )
            results[name] = {"path": path, **figures}
        floor_after = measure(
            floor_server.base + "/", seconds=seconds, concurrency=concurrency, cookie=None
        )
    finally:
        app_server.stop()
        floor_server.stop()
    floor = {
        "throughput": round((floor_before["throughput"] + floor_after["throughput"]) / 2, 1),
        "p95_ms": round((floor_before["p95_ms"] + floor_after["p95_ms"]) / 2, 1),
        "before": floor_before,
        "after": floor_after,
    }
    for figures in results.values():
        figures["throughput_ratio"] = round(figures["throughput"] / floor["throughput"], 3)
        figures["p95_ratio"] = round(figures["p95_ms"] / floor["p95_ms"], 3)
        figures["meets_target"] = (
            figures["throughput_ratio"] >= TARGET_THROUGHPUT
            and figures["p95_ratio"] <= TARGET_P95
            and figures["errors"] == 0
        )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "scale": scale,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "seed_seconds": round(seed_seconds, 1),
        "audit_verify_seconds": round(verify_seconds, 2),
        "audit_verify_output": verified.stdout.strip().splitlines()[-1:] if verified.stdout else [],
        "floor": floor,
        "pages": results,
    }


def machine() -> dict:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_tool": "wrk" if shutil.which("wrk") else "bench/loadgen.py",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scale", choices=["small", "regional", "x10"], default="regional")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    report = {
        "machine": machine(),
        "settings": {
            "concurrency": args.concurrency,
            "seconds": args.seconds,
            "gunicorn_workers": 2,
            "targets": {"throughput_ratio_min": TARGET_THROUGHPUT, "p95_ratio_max": TARGET_P95},
        },
        "runs": {},
    }
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    for backend in backends:
        print(f"== {backend} ({args.scale})", flush=True)
        run = bench_backend(backend, args.scale, args.seconds, args.concurrency)
        report["runs"][f"{backend}/{args.scale}"] = run
        for name, figures in run["pages"].items():
            print(
                f"{name:24} {figures['throughput']:8.1f}/s  p95 {figures['p95_ms']:7.1f} ms  "
                f"× floor {figures['throughput_ratio']:.2f} / {figures['p95_ratio']:.2f}"
                f"{'' if figures['meets_target'] else '  MISSES TARGET'}",
                flush=True,
            )
    # Keep the runs of other scales and databases from earlier invocations.
    merged = {**previous.get("runs", {}), **report["runs"]}
    report["runs"] = merged
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written {args.output}")


if __name__ == "__main__":
    main()
