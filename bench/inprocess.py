"""The main pages in one process: SQL queries, milliseconds per request, and a profile.

For finding what to fix, not for the figures of docs/benchmarks.md (those are
`make bench`'s, through gunicorn). Runs on the database in DATABASE_URL, seeded
with `flask demo seed --scale regional`:

    DATABASE_URL=sqlite:///bench/work/app.sqlite \\
        python -m bench.inprocess [--profile] [--calls] [page ...]

Page names are those of bench/pages.py, or a part of one ("ledger").
"""

from __future__ import annotations

import argparse
import re
import time

from sqlalchemy import event

from bench.pages import find_ids, main_pages
from grants import create_app
from grants.demo import DEMO_PASSWORD
from grants.extensions import db

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def signed_in(app, email: str | None):
    client = app.test_client()
    if email:
        token = CSRF.search(client.get("/auth/login").get_data(as_text=True)).group(1)
        response = client.post(
            "/auth/login", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
        )
        if response.status_code not in (302, 303):
            raise SystemExit(f"could not sign in as {email}")
    return client


def python_calls(client, path: str, requests: int = 5) -> int:
    """Function calls per request: timings on a shared machine swing with its load, the
    number of calls a request makes does not, so before-and-after compares on it."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        client.get(path)
    profile.disable()
    return pstats.Stats(profile).total_calls // requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="pyinstrument, per page")
    parser.add_argument(
        "--calls",
        action="store_true",
        help="Python function calls per request (cProfile): the same on a busy machine",
    )
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        ids = find_ids()
        db.session.remove()
        engine = db.engine
    sent = []
    event.listen(engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    clients = {}
    for name, (path, role) in main_pages(ids).items():
        if args.pages and not any(part in name for part in args.pages):
            continue
        if role not in clients:
            clients[role] = signed_in(app, ids.get(role) if role else None)
        client = clients[role]
        first = client.get(path)
        sent.clear()
        client.get(path)
        queries = len(sent)
        started = time.perf_counter()
        for _ in range(args.requests):
            client.get(path)
        ms = (time.perf_counter() - started) / args.requests * 1000
        size = len(first.data) // 1024
        calls = f" {python_calls(client, path):7d} calls" if args.calls else ""
        print(
            f"{name:22} {first.status_code} {queries:4d} queries {ms:7.1f} ms {size:4d} KB{calls}"
        )
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.requests):
                client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
