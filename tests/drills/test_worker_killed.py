"""A gunicorn worker killed with SIGKILL in the middle of an approval: the pot and
the audit chain stay consistent, and the next worker approves it properly."""

import os
import signal
import threading
import time

import pytest
import sqlalchemy as sa

from grants.core.audit import all_chains, chain_for, verify_chain
from grants.extensions import db
from grants.funds.ledger import committed_on
from grants.funds.models import Grant
from grants.meetings.models import Decision
from grants.proposals.models import ProposalState
from tests.drills.conftest import Browser
from tests.factories import PASSWORD
from tests.meetings.conftest import item_for


def _wait_for_lock_waiter(admin, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        waiting = admin.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        ).scalar()
        if waiting:
            return
        time.sleep(0.05)
    raise AssertionError("the approval never reached the audit chain")


def test_a_worker_killed_mid_approval_leaves_the_pot_and_the_chain_consistent(
    backend, app, database_url, in_session, proposal, coordinator, network, gunicorn
):
    if backend != "postgresql":
        pytest.skip("a worker blocked mid-transaction on a row lock: a PostgreSQL drill")
    item = item_for(in_session, proposal)
    db.session.commit()
    committed_before = committed_on(proposal.period_id)
    state_before = proposal.state
    session_page = f"/n/uddevalla/meetings/{in_session.id}/session"
    browser = Browser(gunicorn.base)
    browser.login(coordinator.email, PASSWORD)
    prefix = f"item{item.id}-"
    form = {
        prefix + "csrf_token": browser.token(session_page),
        prefix + "outcome": "approved",
        prefix + "method": "acclamation",
        prefix + "amount": "",
    }

    # Hold the network's audit-chain head: the approval writes its decision and grant,
    # then waits here for its place in the chain, inside its transaction.
    admin_engine = sa.create_engine(sa.engine.make_url(database_url))
    with admin_engine.connect() as admin:
        admin.execute(
            sa.text("SELECT seq FROM audit_chain_heads WHERE chain = :c FOR UPDATE"),
            {"c": chain_for(network)},
        )
        answers = []
        request = threading.Thread(
            target=lambda: answers.append(_post_quietly(browser, session_page, item.id, form))
        )
        request.start()
        monitor = admin_engine.connect()
        try:
            _wait_for_lock_waiter(monitor)
        finally:
            monitor.close()
        [worker] = gunicorn.workers()
        os.kill(worker, signal.SIGKILL)
        request.join(timeout=30)
        admin.rollback()
    admin_engine.dispose()
    assert answers and answers[0] is None  # the browser saw the connection drop

    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Grant.id))) == 0
    assert committed_on(proposal.period_id) == committed_before
    db.session.refresh(proposal)
    assert proposal.state == state_before != ProposalState.APPROVED
    assert all(verify_chain(chain).ok for chain in all_chains())

    # The master starts a new worker; the approval goes through once.
    gunicorn.wait_ready()
    browser = Browser(gunicorn.base)
    browser.login(coordinator.email, PASSWORD)
    form[prefix + "csrf_token"] = browser.token(session_page)
    status, _ = browser.post(f"{session_page}/items/{item.id}/decide", form)
    assert status == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Grant.id))) == 1
    assert committed_on(proposal.period_id) == committed_before + proposal.requested_ore
    assert all(verify_chain(chain).ok for chain in all_chains())


def _post_quietly(browser, session_page, item_id, form):
    try:
        return browser.post(f"{session_page}/items/{item_id}/decide", form, timeout=30)
    except OSError:
        return None
