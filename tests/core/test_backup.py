"""Backup and restore drill: a restored installation has every grant, every receipt,
and an audit chain that still verifies (SQLite and PostgreSQL); a backup taken while
people work restores; a failed restore leaves the target as it was; old ones rotate."""

import io
import json
import tarfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from grants.core.audit import all_chains, verify_chain
from grants.core.time import local_today
from grants.core.uploads import FileBlob
from grants.extensions import db
from grants.funds import payouts, reports
from grants.funds.models import Grant, ReportAttachment
from grants.networks.models import Network
from tests.conftest import empty_postgres_database
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
    with empty_postgres_database("restore") as url:
        yield url


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
        attachments = db.session.scalars(sa.select(ReportAttachment)).all()
        assert len(attachments) == 2
        for attachment in attachments:  # the receipts came with the database
            assert db.session.get(FileBlob, attachment.storage_key).data == PDF
        # A second restore over the data is refused: nothing is overwritten by mistake.
        again = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(written)])
        assert again.exit_code != 0 and "already holds data" in again.output
        db.session.remove()
        db.engine.dispose()


def _writer(app, network_id, stop, written):
    """People at work: payouts registered and events appended until told to stop."""
    from grants.core import audit
    from grants.core.db import begin_writing
    from grants.networks.models import Network

    with app.app_context():
        begin_writing()
        network = db.session.get(Network, network_id)
        while not stop.is_set():
            audit.record(network, "test.busy", network, data={"n": len(written)})
            db.session.commit()
            written.append(1)
            time.sleep(0.002)
        db.session.remove()


def test_a_backup_taken_while_people_work_restores_with_every_count_and_chain(
    app, make_app, empty_database_url, tmp_path
):
    _installation()
    network_id = db.session.scalar(sa.select(Network.id).order_by(Network.id))
    stop, written = threading.Event(), []
    threads = [threading.Thread(target=_writer, args=(app, network_id, stop, written))]
    for thread in threads:
        thread.start()
    try:
        while len(written) < 20:  # the writes are under way before the backup starts
            time.sleep(0.01)
        created = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "b")])
        during = len(written)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert created.exit_code == 0, created.output
    assert len(written) > during or during > 20, "the backup must have run while writes went on"
    [archive] = (tmp_path / "b").glob("grants-backup-*.tar.gz")

    restored_app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with restored_app.app_context():
        started = time.perf_counter()
        result = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
        print(f"restore of a backup taken under load: {time.perf_counter() - started:.2f} s")
        assert result.exit_code == 0, result.output
        assert "audit chains verified" in result.output
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FileBlob)) == 2
        db.session.remove()
        db.engine.dispose()


def _with_manifest(archive: Path, change, tmp_path) -> Path:
    """A copy of ``archive`` whose manifest ``change`` altered."""
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive, "r:gz") as source:
        source.extractall(unpacked, filter="data")
    manifest = json.loads((unpacked / "manifest.json").read_text())
    change(manifest)
    (unpacked / "manifest.json").write_text(json.dumps(manifest))
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(altered, "w:gz") as target:
        for member in sorted(unpacked.iterdir()):
            target.add(member, arcname=member.name)
    return altered


def _tables(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_restore_whose_check_fails_leaves_the_target_as_it_found_it(
    app, make_app, empty_database_url, tmp_path
):
    _installation()
    created = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "b")])
    [archive] = (tmp_path / "b").glob("grants-backup-*.tar.gz")
    assert created.exit_code == 0

    def one_grant_more(manifest):
        manifest["counts"]["grants"] += 1

    altered = _with_manifest(archive, one_grant_more, tmp_path)
    before = _tables(empty_database_url)
    restored_app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with restored_app.app_context():
        result = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(altered)])
        assert result.exit_code != 0
        assert "row counts differ after restore, nothing kept" in result.output
        assert "grants 6 (expected 7)" in result.output
        db.session.remove()
        db.engine.dispose()
    assert _tables(empty_database_url) == before  # nothing restored, nothing left behind

    # The archive as it was restores into the same database afterwards.
    with restored_app.app_context():
        result = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()


def test_old_archives_are_rotated_once_a_new_one_is_written(app, tmp_path):
    _installation()
    folder = tmp_path / "backups"
    runner = app.test_cli_runner()
    written = []
    for _ in range(4):
        result = runner.invoke(args=["backup", "create", str(folder), "--keep", "2"])
        assert result.exit_code == 0, result.output
        written.append(Path(result.output.split("backup written: ")[1].split(" in ")[0]))
    assert sorted(folder.glob("grants-backup-*.tar.gz")) == written[-2:]
    assert not list(folder.glob("*.partial"))
