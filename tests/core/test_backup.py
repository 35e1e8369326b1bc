"""Backup and restore drill: a restored installation has every grant, every receipt,
and an audit chain that still verifies (SQLite and PostgreSQL)."""

import io
import secrets

import pytest
import sqlalchemy as sa

from grants.core.audit import all_chains, verify_chain
from grants.core.time import local_today
from grants.core.uploads import stored_path
from grants.extensions import db
from grants.funds import payouts, reports
from grants.funds.models import Grant, ReportAttachment
from tests.factories import (
    FundingPeriodFactory,
    GrantFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    attestant_of,
    coordinator_of,
    representative_of,
)

PDF = b"%PDF-1.4 kvitto for the drill"


class Upload:
    def __init__(self, content, filename):
        self.stream, self.filename = io.BytesIO(content), filename


def _installation():
    """Two networks, grants paid with attestation, a report with a receipt."""
    for slug in ("uddevalla", "trollhattan"):
        network = NetworkFactory(slug=slug)
        period = FundingPeriodFactory(network=network)
        coordinator, attestant = coordinator_of(network), attestant_of(network)
        for n in range(3):
            grantee = MembershipFactory(network=network).organisation
            grant = GrantFactory(
                proposal=ProposalFactory(network=network, period=period, applicant=grantee),
                amount_ore=1_000_000 + n,
            )
            payout = payouts.register_payout(
                grant, amount_ore=500_000, planned_on=local_today(), note="", actor=coordinator
            )
            payouts.attest_payout(payout, actor=attestant)
            payouts.mark_paid(
                payout, paid_on=local_today(), accounting_ref=f"V-{n}", actor=coordinator
            )
        reports.submit_report(
            grant,
            done="Gjort",
            participants=12,
            contribution="Bidrog",
            costs=[],
            unused_ore=0,
            files=[Upload(PDF, "kvitto.pdf")],
            actor=representative_of(network, grantee),
        )
    db.session.commit()


@pytest.fixture
def empty_database_url(backend, tmp_path):
    """A database with nothing in it at all: no tables, no schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    from tests.conftest import _pg_url

    base = sa.engine.make_url(_pg_url())
    name = f"{base.database}_restore_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_restores_into_an_empty_database_with_the_chain_intact(
    app, make_app, empty_database_url, tmp_path
):
    _installation()
    grants_before = sorted(
        db.session.execute(sa.select(Grant.id, Grant.amount_ore, Grant.state)).all()
    )
    archive = tmp_path / "backups"
    archive.mkdir()
    created = app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert created.exit_code == 0, created.output
    [written] = archive.glob("grants-backup-*.tar.gz")

    restored_app = make_app(
        SQLALCHEMY_DATABASE_URI=empty_database_url, UPLOAD_DIR=str(tmp_path / "restored-uploads")
    )
    with restored_app.app_context():
        result = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(written)])
        assert result.exit_code == 0, result.output
        assert "audit chains verified" in result.output
        assert (
            sorted(db.session.execute(sa.select(Grant.id, Grant.amount_ore, Grant.state)).all())
            == grants_before
        )
        chains = all_chains()
        assert len(chains) >= 2 and all(verify_chain(chain).ok for chain in chains)
        for attachment in db.session.scalars(sa.select(ReportAttachment)):
            assert stored_path(attachment.storage_key).read_bytes() == PDF
        # A second restore over the data is refused: nothing is overwritten by mistake.
        again = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(written)])
        assert again.exit_code != 0 and "already holds data" in again.output
        db.session.remove()
        db.engine.dispose()
