"""Jobs that every node's timer starts: the second start finds the lock taken, says so and
does nothing (PostgreSQL); on SQLite, one machine, the guard does nothing."""

import pytest
import sqlalchemy as sa

from grants.core.jobs import lock_key
from grants.extensions import db

JOBS = {
    "reminders send": ["reminders", "send"],
    "audit verify": ["audit", "verify"],
    "backup create": ["backup", "create"],
    "retention run": ["retention", "run"],
}


@pytest.fixture
def another_node_running(backend):
    """A connection of its own holding the job's lock, as a run on another node would."""
    if backend != "postgresql":
        pytest.skip("SQLite serves one machine: there is no second node to keep out")
    held = []

    def hold(job):
        connection = db.engine.connect()
        connection.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(job)})
        connection.commit()
        held.append(connection)
        return connection

    yield hold
    for connection in held:
        connection.close()


@pytest.mark.parametrize("job", list(JOBS))
def test_a_second_start_of_a_job_says_so_and_does_nothing(app, another_node_running, tmp_path, job):
    args = JOBS[job] + ([str(tmp_path / "backups")] if job == "backup create" else [])
    another_node_running(job)
    runner = app.test_cli_runner()
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert f"{job}: another run holds the lock (on this or another node); nothing done" in (
        result.output
    )
    assert not (tmp_path / "backups").exists()


def test_a_job_runs_again_once_the_other_run_is_over(app, another_node_running, tmp_path):
    runner = app.test_cli_runner()
    other_run = another_node_running("reminders send")
    assert "nothing done" in runner.invoke(args=["reminders", "send"]).output
    assert "retention:" in runner.invoke(args=["retention", "run"]).output  # another job runs
    other_run.invalidate()  # that node dies: the lock goes with its connection
    assert "reminders: 0 queued" in runner.invoke(args=["reminders", "send"]).output
    # A run releases its lock when it ends: the next start runs.
    first = runner.invoke(args=["backup", "create", str(tmp_path / "one")])
    second = runner.invoke(args=["backup", "create", str(tmp_path / "two")])
    assert "backup written" in first.output and "backup written" in second.output


def test_on_sqlite_every_job_simply_runs(app, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("the SQLite case")
    runner = app.test_cli_runner()
    assert "reminders: 0 queued" in runner.invoke(args=["reminders", "send"]).output
    assert "retention:" in runner.invoke(args=["retention", "run"]).output
