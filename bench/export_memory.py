"""Peak memory of the payouts export (CSV and XLSX) at 10,000 and 100,000 payouts.

Not a test: a measurement for the audit issue ("large exports stream").

For each N, a SQLite database in a temporary folder gets the app's schema (the
Alembic migrations) and N payouts in bulk (SQLAlchemy Core inserts), with the
organisations, proposals and grants they hang on: two payouts per grant. Then,
for each format, a fresh Python process signs in as the auditor and downloads
``/n/bench/audit/export/payouts.<csv|xlsx>`` through the Flask test client,
reading the streamed body in chunks, and reports its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) before and after the download.

    .venv/bin/python bench/export_memory.py [--sizes 10000 100000] [--control]

Prints one JSON object: per N and format, the peak RSS in MB after the app was
started and signed in (``baseline_mb``), after the export (``peak_mb``), the
growth, the bytes received and the seconds it took. With ``--control`` it also
runs each export with its rows first read into a list, which does not stream,
to show that the measurement would see it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench"
AUDITOR_EMAIL = "granskare@bench.example.se"
PASSWORD = "Bench-lösenord-2026!"  # noqa: S105 (a throwaway database)
ORGANISATIONS = 200
PAYOUTS_PER_GRANT = 2
BATCH = 5000


def _config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "bench-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": None,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }


def _orgnr(number: int) -> str:
    from stdnum import luhn

    base = f"802{number:06d}"
    return f"{base[:6]}-{base[6:]}{luhn.calc_check_digit(base)}"


def _insert(connection, table, rows: list[dict]) -> None:
    import sqlalchemy as sa

    for start in range(0, len(rows), BATCH):
        connection.execute(sa.insert(table), rows[start : start + BATCH])


def seed(url: str, payouts: int) -> None:
    """The schema and ``payouts`` payouts of one network, written in bulk."""
    from flask_migrate import upgrade

    from grants import create_app
    from grants.auth.passwords import hash_password
    from grants.extensions import db
    from grants.funds.models import BudgetLine, FundingPeriod, Grant, Payout
    from grants.members.models import Membership, Organisation, Role, User
    from grants.networks.models import Network
    from grants.proposals.models import Proposal

    app = create_app(_config(url))
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        today = date.today()
        grants = -(-payouts // PAYOUTS_PER_GRANT)
        with db.engine.begin() as connection:
            _insert(
                connection,
                Network.__table__,
                [
                    {
                        "id": 1,
                        "slug": SLUG,
                        "name": "Benchmark-nätverket",
                        "municipality": "Uddevalla",
                    }
                ],
            )
            _insert(
                connection,
                User.__table__,
                [
                    {
                        "id": 1,
                        "email": "samordnare@bench.example.se",
                        "name": "Sara Samordnare",
                        "password_hash": None,
                    },
                    {
                        "id": 2,
                        "email": AUDITOR_EMAIL,
                        "name": "Greta Granskare",
                        "password_hash": hash_password(PASSWORD),
                    },
                    {
                        "id": 3,
                        "email": "attestant@bench.example.se",
                        "name": "Bo Budgetansvarig",
                        "password_hash": None,
                    },
                ],
            )
            _insert(
                connection,
                Role.__table__,
                [
                    {"user_id": 1, "network_id": 1, "role": "coordinator"},
                    {"user_id": 2, "network_id": 1, "role": "auditor"},
                    {"user_id": 3, "network_id": 1, "role": "attestant"},
                ],
            )
            _insert(
                connection,
                Organisation.__table__,
                [
                    {"id": n, "name": f"Föreningen nummer {n} i Åsäter", "orgnr": _orgnr(n)}
                    for n in range(1, ORGANISATIONS + 1)
                ],
            )
            _insert(
                connection,
                Membership.__table__,
                [{"network_id": 1, "organisation_id": n} for n in range(1, ORGANISATIONS + 1)],
            )
            _insert(
                connection,
                FundingPeriod.__table__,
                [
                    {
                        "id": 1,
                        "network_id": 1,
                        "funder": "Hälsopolitiska rådet",
                        "starts_on": today - timedelta(days=365),
                        "ends_on": today + timedelta(days=365),
                    }
                ],
            )
            _insert(
                connection,
                BudgetLine.__table__,
                [
                    {"period_id": 1, "kind": "grants", "budget_ore": grants * 1_000_000},
                    {"period_id": 1, "kind": "meetings", "budget_ore": 3_000_000},
                    {"period_id": 1, "kind": "training", "budget_ore": 2_000_000},
                ],
            )
            for start in range(1, grants + 1, BATCH):
                numbers = range(start, min(start + BATCH, grants + 1))
                _insert(
                    connection,
                    Proposal.__table__,
                    [
                        {
                            "id": n,
                            "network_id": 1,
                            "year": 2026,
                            "number": n,
                            "applicant_id": n % ORGANISATIONS + 1,
                            "period_id": 1,
                            "title": f"Språkcafé och läxhjälp, omgång {n}",
                            "summary": "Samtal på svenska.",
                            "planned_start": today,
                            "planned_end": today + timedelta(days=60),
                            "requested_ore": 1_000_000,
                            "contact_name": "Kim Kontakt",
                            "contact_email": "kim@example.se",
                            "source": "web",
                            "received_at": now,
                            "state": "approved",
                            "created_at": now,
                            "updated_at": now,
                        }
                        for n in numbers
                    ],
                )
                _insert(
                    connection,
                    Grant.__table__,
                    [
                        {
                            "id": n,
                            "network_id": 1,
                            "period_id": 1,
                            "proposal_id": n,
                            "amount_ore": 1_000_000,
                            "state": "partly_paid",
                            "created_at": now,
                            "report_due_on": today + timedelta(days=120),
                        }
                        for n in numbers
                    ],
                )
            for start in range(1, payouts + 1, BATCH):
                _insert(
                    connection,
                    Payout.__table__,
                    [
                        {
                            "id": n,
                            "network_id": 1,
                            "grant_id": (n - 1) // PAYOUTS_PER_GRANT + 1,
                            "amount_ore": 250_050,
                            "planned_on": today,
                            "status": "paid",
                            "registered_by_id": 1,
                            "registered_at": now,
                            "attested_by_id": 3,
                            "attested_at": now,
                            "paid_on": today,
                            "accounting_ref": f"V-2026-{n:06d}",
                            "paid_recorded_by_id": 1,
                            "note": "=delbetalning" if n % 7 == 0 else "",
                        }
                        for n in range(start, min(start + BATCH, payouts + 1))
                    ],
                )
        db.engine.dispose()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child(url: str, extension: str, mode: str = "streamed") -> dict:
    """Run in a fresh process: sign in, download the export, report peak RSS.

    ``mode="materialised"`` is the control: the same export with every row read
    into a list before the first byte is written, to show what the benchmark sees
    when an export does not stream.
    """
    from grants import create_app

    if mode == "materialised":
        from grants.audit.exports import payouts, registry

        streamed_rows = payouts.rows
        registry.EXPORTS["payouts"] = replace(
            registry.EXPORTS["payouts"],
            rows=lambda network, **filters: iter(list(streamed_rows(network, **filters))),
        )

    app = create_app(_config(url))
    client = app.test_client()
    # Signed in through the session, not the login form: checking an argon2 hash takes
    # 64 MB for a moment, a peak that would hide the export's own.
    with client.session_transaction() as session:
        session["_user_id"] = "2:1"
        session["_fresh"] = True
    # Warm up: templates, translations and the query compilers, on a page of the app.
    assert client.get(f"/n/{SLUG}/audit/export/").status_code == 200
    baseline = _peak_mb()
    started = time.perf_counter()
    response = client.get(f"/n/{SLUG}/audit/export/payouts.{extension}", buffered=False)
    assert response.status_code == 200, response.status_code
    received = chunks = 0
    first = b""
    for chunk in response.response:
        if not first:
            first = chunk[:4]
        received += len(chunk)
        chunks += 1
    response.close()
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    return {
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(peak, 1),
        "growth_mb": round(peak - baseline, 1),
        "bytes": received,
        "chunks": chunks,
        "seconds": round(seconds, 1),
        "starts_with": first.hex(),
    }


def _run(*args: str) -> str:
    """This script in a fresh process.

    The seeding runs in its own process too: Linux carries a process's peak RSS
    over into the program it starts (execve), so this launcher must stay small
    for the children's figures to be their own.
    """
    output = subprocess.run(  # noqa: S603 (this script)
        [sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return output.stdout.strip().splitlines()[-1] if output.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--control",
        action="store_true",
        help="also run each export with its rows materialised in a list (does not stream)",
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("URL", "FORMAT", "MODE"), help=argparse.SUPPRESS
    )
    parser.add_argument("--seed", nargs=2, metavar=("URL", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.seed:
        seed(args.seed[0], int(args.seed[1]))
        return
    results: dict = {"rss": "peak resident set size, MB (ru_maxrss)", "runs": {}}
    with tempfile.TemporaryDirectory(prefix="export-memory-") as folder:
        for size in args.sizes:
            url = f"sqlite:///{Path(folder) / f'payouts-{size}.sqlite'}"
            started = time.perf_counter()
            _run("--seed", url, str(size))
            run: dict = {"seed_seconds": round(time.perf_counter() - started, 1)}
            for extension in ("csv", "xlsx"):
                run[extension] = json.loads(_run("--child", url, extension, "streamed"))
                if args.control:
                    run[f"{extension} (control: not streamed)"] = json.loads(
                        _run("--child", url, extension, "materialised")
                    )
            results["runs"][str(size)] = run
    sizes = [str(size) for size in args.sizes]
    if len(sizes) >= 2:
        results["growth_from_smallest_to_largest_mb"] = {
            extension: round(
                results["runs"][sizes[-1]][extension]["peak_mb"]
                - results["runs"][sizes[0]][extension]["peak_mb"],
                1,
            )
            for extension in ("csv", "xlsx")
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
