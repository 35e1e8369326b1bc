"""A vote storm: 60 representatives vote on one open item within one second.

A network of 60 member organisations, each present with its representative
signed in on their own phone (a cookie jar each); the coordinator opens the vote
and all 60 press "Ja/Nej/Avstår" at once against gunicorn (2 workers). Every
vote must be counted exactly once; the figure is the p95 of the answers.

    python -m bench.vote_storm [--backend sqlite|postgresql|both] [--voters 60]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.run import ROOT, WORK, Server, database_urls

SEED = """
import sys
from datetime import timedelta
from grants import create_app
from grants.extensions import db
from grants.core.time import utcnow
from grants.meetings import decisions, session
from tests.factories import (
    FundingPeriodFactory, MeetingFactory, MembershipFactory, NetworkFactory, ProposalFactory,
    coordinator_of, representative_of,
)
voters = int(sys.argv[1])
app = create_app()
with app.app_context():
    network = NetworkFactory(slug="storm", quorum_min_orgs=2)
    period = FundingPeriodFactory(network=network)
    members = [MembershipFactory(network=network).organisation for _ in range(voters + 1)]
    people = [representative_of(network, org, email=f"rep{n}@storm.example.se")
              for n, org in enumerate(members)]
    coordinator = coordinator_of(network, email="samordnare@storm.example.se")
    meeting = MeetingFactory(network=network, number=1, starts_at=utcnow() - timedelta(minutes=5))
    proposal = ProposalFactory(network=network, period=period, meeting=meeting,
                               applicant=members[-1], requested_ore=1_000_000)
    session.start_session(meeting, actor=coordinator)
    for org in members:
        session.record_attendance(meeting, org, present=True, people="", actor=coordinator)
    item = next(i for i in session.agenda(meeting) if i.proposal_id == proposal.id)
    decisions.open_vote(item, actor=coordinator)
    db.session.commit()
    print(meeting.id, item.id, ",".join(str(o.id) for o in members[:voters]))
"""

COUNT = """
import sys
import sqlalchemy as sa
from grants import create_app
from grants.extensions import db
from grants.meetings.models import Vote
app = create_app()
with app.app_context():
    rows = db.session.execute(sa.select(Vote.organisation_id, sa.func.count()).where(
        Vote.item_id == int(sys.argv[1])).group_by(Vote.organisation_id)).all()
    print(len(rows), max((n for _, n in rows), default=0))
"""


def storm(backend: str, voters: int) -> dict:
    from bench.run import _flask
    from tests.drills.conftest import Browser
    from tests.factories import PASSWORD

    app_url, _ = database_urls(backend)
    env = {
        **os.environ,
        "DATABASE_URL": app_url,
        "GRANTS_ENV": "development",
        "SECRET_KEY": "storm-" + "k" * 40,
        "UPLOAD_DIR": str(WORK / "uploads"),
        "PYTHONPATH": str(ROOT),
    }
    if _flask(env, "db", "upgrade").returncode != 0:
        raise RuntimeError("migration failed")
    seeded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SEED, str(voters)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    meeting_id, item_id, organisation_ids = int(seeded[0]), int(seeded[1]), seeded[2].split(",")
    server = Server("wsgi:app", env)
    try:
        phones = []
        page = f"/n/storm/meetings/{meeting_id}/vote"
        for n, organisation_id in enumerate(organisation_ids):
            phone = Browser(server.base)
            phone.login(f"rep{n}@storm.example.se", PASSWORD)
            phones.append((phone, organisation_id, phone.token(page)))
        latencies, answers = [None] * voters, [None] * voters
        gate = threading.Barrier(voters)

        def press(index: int) -> None:
            phone, organisation_id, token = phones[index]
            gate.wait()
            began = time.perf_counter()
            status, _ = phone.post(
                page,
                {
                    "csrf_token": token,
                    "item": item_id,
                    "organisation": organisation_id,
                    "choice": ("yes", "no", "abstain")[index % 3],
                },
            )
            latencies[index] = (time.perf_counter() - began) * 1000
            answers[index] = status

        threads = [threading.Thread(target=press, args=(i,)) for i in range(voters)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    finally:
        server.stop()
    counted = subprocess.run(  # noqa: S603
        [sys.executable, "-c", COUNT, str(item_id)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ordered = sorted(latencies)
    return {
        "voters": voters,
        "answers": {str(code): answers.count(code) for code in sorted(set(answers))},
        "votes_counted": int(counted[0]),
        "most_votes_of_one_organisation": int(counted[1]),
        "wall_seconds": round(wall, 3),
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--voters", type=int, default=60)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "vote_storm.json")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results = {backend: storm(backend, args.voters) for backend in backends}
    print(json.dumps(results, indent=2))
    args.output.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
