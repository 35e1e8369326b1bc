"""Receipts kept in the database: uploaded through one node, downloaded from another; a
refused save leaves no file; a missing file is a 404; files on disk move in by migration."""

import io

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from grants.core.uploads import FileBlob
from grants.extensions import db
from grants.funds.models import ReportAttachment
from tests.conftest import text_of
from tests.factories import PASSWORD, representative_of

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x10" * 2_000_000  # a 2 MB photo of a receipt
BEFORE = "b5d8e2f1a907"


def _report(client, grant_id, files):
    page = f"/n/uddevalla/grants/{grant_id}"
    data = {
        "done": "Tio språkcaféträffar.",
        "participants": "37",
        "contribution": "Nya kontakter.",
        "actual-1": "19 500",
        "unused": "500",
        "attachments": [(io.BytesIO(content), name) for content, name in files],
    }
    return client.submit(page + "/report", data, page=page, content_type="multipart/form-data")


def _signed_in(app, person):
    client = app.test_client()
    client.login(person.email, PASSWORD)
    return client


def test_a_receipt_uploaded_on_one_node_is_downloaded_from_another(make_app, grant_setup, tmp_path):
    grantee = representative_of(grant_setup["network"], grant_setup["grantee"])
    # Two nodes on one database, each with its own disk (read-only for node A).
    disk_a, disk_b = tmp_path / "node-a", tmp_path / "node-b"
    disk_a.mkdir(mode=0o500)
    node_a = make_app(UPLOAD_DIR=str(disk_a))
    node_b = make_app(UPLOAD_DIR=str(disk_b))
    grant_id = grant_setup["grant"].id

    response = _report(_signed_in(node_a, grantee), grant_id, [(JPEG, "kvitto lokal.jpg")])
    assert response.status_code == 302, text_of(response)
    attachment = db.session.scalar(sa.select(ReportAttachment))
    download = _signed_in(node_b, grantee).get(
        f"/n/uddevalla/grants/{grant_id}/report/attachments/{attachment.id}"
    )
    assert download.status_code == 200
    assert download.data == JPEG
    assert download.headers["Content-Type"] == "image/jpeg"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "kvitto lokal.jpg" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert list(disk_a.iterdir()) == [] and not disk_b.exists()  # no node's disk holds it


def test_a_report_refused_for_one_bad_file_leaves_no_file_behind(app, grant_setup):
    grantee = representative_of(grant_setup["network"], grant_setup["grantee"])
    response = _report(
        _signed_in(app, grantee),
        grant_setup["grant"].id,
        [(PDF, "kvitto.pdf"), (b"MZ\x90\x00 not a receipt", "kvitto2.pdf")],
    )
    assert response.status_code == 400
    assert "är inte en PDF, JPEG eller PNG" in text_of(response)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FileBlob)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportAttachment)) == 0


def test_a_file_whose_bytes_are_missing_is_a_404_page(app, grant_setup):
    grantee = representative_of(grant_setup["network"], grant_setup["grantee"])
    client = _signed_in(app, grantee)
    grant_id = grant_setup["grant"].id
    assert _report(client, grant_id, [(PDF, "kvitto.pdf")]).status_code == 302
    attachment = db.session.scalar(sa.select(ReportAttachment))
    db.session.execute(sa.delete(FileBlob))
    db.session.commit()
    missing = client.get(f"/n/uddevalla/grants/{grant_id}/report/attachments/{attachment.id}")
    assert missing.status_code == 404
    assert "Sidan finns inte" in text_of(missing)


def test_the_migration_moves_files_on_disk_in_and_reports_the_missing(
    app, grant_setup, tmp_path, capsys
):
    grantee = representative_of(grant_setup["network"], grant_setup["grantee"])
    files = [(PDF, "kvitto.pdf"), (JPEG, "foto.jpg")]
    assert _report(_signed_in(app, grantee), grant_setup["grant"].id, files).status_code == 302
    kept, lost = db.session.scalars(sa.select(ReportAttachment).order_by(ReportAttachment.id))
    kept_key, lost_key, lost_id = kept.storage_key, lost.storage_key, lost.id
    db.session.remove()
    folder = tmp_path / "uploads"  # the app's UPLOAD_DIR (conftest's make_app)
    app.config["UPLOAD_DIR"] = str(folder)

    downgrade(revision=BEFORE)  # the previous release: files on disk
    assert (folder / kept_key).read_bytes() == PDF
    (folder / lost_key).unlink()  # lost from the disk, say
    capsys.readouterr()
    upgrade()
    said = capsys.readouterr().out
    assert "stored_files: 1 files moved" in said
    assert f"MISSING on disk, its download will be a 404: report attachment {lost_id}" in said
    assert db.session.get(FileBlob, kept_key).data == PDF
    assert db.session.get(FileBlob, lost_key) is None

    # `flask files import` brings in what the previous release wrote after the upgrade.
    (folder / lost_key).write_bytes(JPEG)
    result = app.test_cli_runner().invoke(args=["files", "import"])
    assert "files: 1 imported" in result.output and "0 missing" in result.output
    assert db.session.get(FileBlob, lost_key).data == JPEG
