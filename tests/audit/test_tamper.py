"""Rows of the audit chain changed behind the app's back: the command exits 1 naming
the first bad event, and the auditor's page says so (on SQLite and PostgreSQL)."""

import json

import pytest
import sqlalchemy as sa

from grants.core import audit
from grants.core.audit import AuditEvent, chain_for
from grants.extensions import db
from tests.conftest import text_of
from tests.factories import PASSWORD, NetworkFactory, auditor_of


def _raw(sql: str, **params) -> None:
    db.session.execute(sa.text(sql), params)
    db.session.commit()


def _edit(chain):
    _raw("UPDATE audit_events SET data = :d WHERE chain = :c AND seq = 3", d='{"n":999}', c=chain)
    return 3


def _delete(chain):
    _raw("DELETE FROM audit_events WHERE chain = :c AND seq = 3", c=chain)
    return 3


def _reorder(chain):
    _raw("UPDATE audit_events SET seq = 100 WHERE chain = :c AND seq = 3", c=chain)
    _raw("UPDATE audit_events SET seq = 3 WHERE chain = :c AND seq = 4", c=chain)
    _raw("UPDATE audit_events SET seq = 4 WHERE chain = :c AND seq = 100", c=chain)
    return 3


def _insert_middle(chain):
    """A forged event slipped in as number 3, with a hash that fits its predecessor."""
    for seq in (5, 4, 3):  # make room, highest first (unique chain + seq)
        _raw(
            "UPDATE audit_events SET seq = :n WHERE chain = :c AND seq = :s",
            n=seq + 1,
            s=seq,
            c=chain,
        )
    before = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.chain == chain, AuditEvent.seq == 2)
    )
    forged = AuditEvent(
        chain=chain,
        seq=3,
        network_id=before.network_id,
        at=before.at,
        actor_id=None,
        action="payout.paid",
        subject_type="payouts",
        subject_id=999,
        data=json.dumps({"amount_ore": 5_000_000}),
        prev_hash=before.hash,
    )
    forged.hash = audit.event_digest(forged)
    db.session.add(forged)
    db.session.commit()
    return 4  # the event after it no longer links


def _insert_end(chain):
    last = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.chain == chain, AuditEvent.seq == 5)
    )
    forged = AuditEvent(
        chain=chain,
        seq=6,
        network_id=last.network_id,
        at=last.at,
        actor_id=None,
        action="refund.registered",
        subject_type="refunds",
        subject_id=1,
        data="{}",
        prev_hash=last.hash,
    )
    forged.hash = audit.event_digest(forged)
    db.session.add(forged)
    db.session.commit()
    return 6  # the chain's head still says it ends at 5


@pytest.mark.parametrize(
    "tamper", [_edit, _delete, _reorder, _insert_middle, _insert_end], ids=lambda f: f.__name__
)
def test_tampering_is_found_by_the_command_and_shown_to_the_auditor(app, tamper):
    network = NetworkFactory(slug="uddevalla")
    for n in range(5):
        audit.record(network, "test.happened", network, data={"n": n})
    db.session.commit()
    auditor = auditor_of(network)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify", "--network", "uddevalla"]).exit_code == 0
    client = app.test_client()
    client.login(auditor.email, PASSWORD)
    assert "Kedjan är hel" in text_of(client.get("/n/uddevalla/audit/"))

    bad_seq = tamper(chain_for(network))

    result = runner.invoke(args=["audit", "verify", "--network", "uddevalla", "--full"])
    assert result.exit_code == 1
    assert f"BROKEN at event {bad_seq}" in result.output
    shown = text_of(client.get("/n/uddevalla/audit/"))  # the command's result, remembered
    assert f"Kedjan är bruten vid händelse {bad_seq}." in shown
    checked_now = text_of(client.get("/n/uddevalla/audit/verify"))  # the same check, from the page
    assert f"Kedjan är bruten vid händelse {bad_seq}." in checked_now
