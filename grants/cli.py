"""``flask --app grants <command>``: the commands of the design's CLI contract."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app, g
from flask.cli import AppGroup

from grants.core.errors import DomainError
from grants.extensions import db


def _writes() -> None:
    """Commands change data: SQLite transactions take the write lock up front."""
    g.sqlite_write_transactions = True


def _once(job: str):
    """A command that runs on one node at a time (``core.jobs``): a second start, on this
    node or another, says that another run holds the lock and exits 0, doing nothing."""

    def decorate(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            from grants.core.jobs import JobAlreadyRunning, one_run

            try:
                with one_run(job):
                    return command(*args, **kwargs)
            except JobAlreadyRunning:
                click.echo(
                    f"{job}: another run holds the lock (on this or another node); nothing done"
                )
                return None

        return run

    return decorate


def _fail(error: DomainError) -> None:
    db.session.rollback()
    raise click.ClickException(str(error.message))


outbox_cli = AppGroup("outbox", help="The outgoing mail queue.")
audit_cli = AppGroup("audit", help="The audit trail.")
network_cli = AppGroup("network", help="Networks.")
user_cli = AppGroup("user", help="People and their roles.")
demo_cli = AppGroup("demo", help="Demonstration data.")
reminders_cli = AppGroup("reminders", help="Reminders about grantees' reports.")
files_cli = AppGroup("files", help="Uploaded files (kept in the database).")
retention_cli = AppGroup("retention", help="Dropping what is kept no longer than needed.")
backup_cli = AppGroup("backup", help="Backups of the database and the uploaded files.")


@backup_cli.command("create")
@click.argument("target", type=click.Path(path_type=Path), default=Path("instance/backups"))
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    help="In a folder: keep this many archives, removing older ones once the new one is "
    "written (default BACKUP_KEEP, 14).",
)
@_once("backup create")
def backup_create(target: Path, keep: int | None) -> None:
    """Write a backup archive to TARGET (a file, or a folder for a dated file)."""
    from grants.core.backup import BackupError, create_backup

    started = time.perf_counter()
    try:
        written = create_backup(target, keep=keep or current_app.config["BACKUP_KEEP"])
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written: {written} in {time.perf_counter() - started:.2f} s")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(path_type=Path))
def backup_restore(source: Path) -> None:
    """Restore SOURCE into the configured database, which must be empty."""
    from grants.core.backup import BackupError, restore_backup

    try:
        result = restore_backup(source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    counts = ", ".join(f"{table} {number}" for table, number in result.counts.items())
    click.echo(f"restored: {counts}")
    if not result.chains_ok:
        click.echo("the audit chains do NOT verify: run `flask audit verify`", err=True)
        sys.exit(1)
    click.echo("audit chains verified")


@files_cli.command("import")
def files_import() -> None:
    """Move files that rows name from UPLOAD_DIR into the database (files written by a
    release that kept them on disk); list those found nowhere. Running it again is safe."""
    from grants.core.uploads import import_from_disk

    _writes()
    folder = Path(current_app.config["UPLOAD_DIR"])
    result = import_from_disk(folder)
    db.session.commit()
    click.echo(
        f"files: {result.imported} imported from {folder}, {result.already_there} already in "
        f"the database, {len(result.missing)} missing"
    )
    for what in result.missing:
        click.echo(f"missing, its download is a 404: {what}", err=True)


@reminders_cli.command("send")
@_once("reminders send")
def reminders_send() -> None:
    """Queue the report reminders due today (run daily; running twice sends nothing twice)."""
    from grants.funds.operations import today
    from grants.funds.reminders import send_reminders

    _writes()
    count = send_reminders(today())
    db.session.commit()
    click.echo(f"reminders: {count} queued")


@retention_cli.command("run")
@_once("retention run")
def retention_run() -> None:
    """Drop old mails' bodies and attachments, and compact the chain checks (run daily).

    MAIL_BODY_RETENTION_DAYS and CHAIN_CHECK_RETENTION_DAYS say how old is old.
    """
    from datetime import timedelta

    from grants.audit.checks import compact_checks
    from grants.core.outbox import drop_old_bodies
    from grants.core.time import utcnow

    _writes()
    now, config = utcnow(), current_app.config
    emptied, attachments = drop_old_bodies(now - timedelta(days=config["MAIL_BODY_RETENTION_DAYS"]))
    checks = compact_checks(now - timedelta(days=config["CHAIN_CHECK_RETENTION_DAYS"]))
    db.session.commit()
    click.echo(
        f"retention: {emptied} mails emptied, {attachments} attachments dropped, "
        f"{checks} chain checks removed"
    )


# A database that is locked (SQLite) or gone (a restart, a fail-over) is waited out:
# first after the usual interval, then doubling up to this.
OUTBOX_DATABASE_BACKOFF_MAX_SECONDS = 60.0


@outbox_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running and send new mail as it arrives.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def outbox_send(loop: bool, interval: float) -> None:
    """Send the mail that is due; retry failures later with back-off.

    With --loop, a locked or unreachable database is reported and retried with back-off:
    it never ends the sender (mail would stop until someone restarted it)."""
    import sqlalchemy as sa

    from grants.core.outbox import deliver_due

    _writes()
    stopping = []
    if loop:
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    wait = interval
    while True:
        try:
            report = deliver_due()
        except (sa.exc.DBAPIError, sa.exc.PendingRollbackError, sa.exc.TimeoutError) as error:
            _forget_session()
            reason = " ".join(str(getattr(error, "orig", None) or error).split())[:200]
            if not loop:
                raise click.ClickException(
                    f"outbox: the database cannot be used: {reason}"
                ) from error
            wait = min(max(wait * 2, interval), OUTBOX_DATABASE_BACKOFF_MAX_SECONDS)
            click.echo(
                f"outbox: the database cannot be used ({reason}); trying again in {wait:g} s",
                err=True,
            )
        else:
            db.session.remove()
            wait = interval
            if report.sent or report.failed or report.gave_up:
                click.echo(
                    f"outbox: {report.sent} sent, {report.failed} to retry, "
                    f"{report.gave_up} given up"
                )
                for failure in report.errors:
                    click.echo(f"  error: {failure}", err=True)
        if not loop or stopping:
            break
        try:
            _sleep_unless_stopped(wait, stopping)
        except KeyboardInterrupt:
            break
        if stopping:
            break
        _writes()


def _forget_session() -> None:
    """After a database error: drop the session and any connection that may be dead."""
    with contextlib.suppress(Exception):  # the connection is gone; removing it is what is left
        db.session.rollback()
    db.session.remove()
    db.engine.dispose()


def _sleep_unless_stopped(seconds: float, stopping: list) -> None:
    deadline = time.monotonic() + seconds
    while not stopping and time.monotonic() < deadline:
        time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))


@audit_cli.command("verify")
@click.option("--network", "slug", help="Only this network's chain (its slug).")
@click.option(
    "--full",
    is_flag=True,
    help="Read every chain from its first event. Without it, each chain is checked from "
    "where its last check found it intact (a chain never checked, or found broken, is "
    "read in full).",
)
@_once("audit verify")
def audit_verify(slug: str | None, full: bool) -> None:
    """Recompute the hash chains; exit 1 and name the first broken event."""
    import sqlalchemy as sa

    from grants.audit import checks
    from grants.core.audit import all_chains, chain_for
    from grants.core.db import begin_writing
    from grants.networks.models import Network

    if slug:
        network = db.session.scalar(sa.select(Network).where(Network.slug == slug))
        if network is None:
            raise click.ClickException(f"no network with slug {slug!r}")
        chains = [chain_for(network)]
    else:
        chains = all_chains()
    broken = False
    started = time.perf_counter()
    reports = [checks.verify(chain, full=full) for chain in chains]
    # Read first, then write what was found: on SQLite the write lock is taken only now.
    begin_writing()
    for report in reports:
        # The auditor's page shows when the chain was last checked and what was found.
        checks.remember(report.chain, report, ran_by=None)
        if report.ok and report.full:
            click.echo(f"{report.chain}: {report.events} events, chain intact")
        elif report.ok:
            click.echo(
                f"{report.chain}: {report.events} new events after event {report.from_seq}, "
                f"chain intact up to event {report.last_seq} (incremental)"
            )
        else:
            broken = True
            where = f"event {report.broken_seq}" + (
                f" (id {report.broken_id})" if report.broken_id else ""
            )
            click.echo(f"{report.chain}: BROKEN at {where}: {report.reason}", err=True)
    db.session.commit()
    click.echo(f"verified {len(chains)} chain(s) in {time.perf_counter() - started:.2f} s")
    if broken:
        sys.exit(1)


@network_cli.command("create")
@click.option("--slug", required=True, help="Short name used in addresses, e.g. uddevalla.")
@click.option("--name", required=True)
@click.option("--municipality", required=True)
@click.option("--private", is_flag=True, help="Do not show the network to the public.")
def network_create(slug: str, name: str, municipality: str, private: bool) -> None:
    """Create a network."""
    from grants.networks.operations import create_network

    _writes()
    try:
        network = create_network(
            slug=slug, name=name, municipality=municipality, public=not private
        )
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"created network {network.slug} ({network.name})")


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--network", "slug", help="Give a role in this network (its slug).")
@click.option(
    "--role",
    type=click.Choice(["coordinator", "auditor"]),
    default="coordinator",
    show_default=True,
)
@click.option("--password", help="Set a password now (otherwise an invitation link is printed).")
def user_create(email: str, name: str, slug: str | None, role: str, password: str | None) -> None:
    """Create a person, optionally with a staff role in a network."""
    import sqlalchemy as sa

    from grants.auth.operations import set_password
    from grants.auth.tokens import invitation_link
    from grants.core.email_address import normalise_email
    from grants.members.models import RoleKind
    from grants.members.operations import find_or_create_user, grant_role
    from grants.networks.models import Network

    _writes()
    try:
        email = normalise_email(email)
        if slug:
            network = db.session.scalar(sa.select(Network).where(Network.slug == slug))
            if network is None:
                raise click.ClickException(f"no network with slug {slug!r}")
            role_row = grant_role(
                network, email=email, name=name, role=RoleKind(role), organisation=None, actor=None
            )
            user = role_row.user
        else:
            user = find_or_create_user(email, name)
        if password:
            set_password(user, password, confirmation=password, actor=None)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"user {user.email} (id {user.id})")
    if not user.has_password:
        link = invitation_link(user)
        click.echo(f"invitation link (valid 7 days): {link}")


@demo_cli.command("seed")
@click.option(
    "--scale",
    type=click.Choice(["small", "regional", "x10"]),
    default="small",
    show_default=True,
    help="small: one network; regional: 30 networks with years of history; x10: 300.",
)
@click.option("--if-empty", is_flag=True, help="Do nothing when there is already a network.")
def demo_seed(scale: str, if_empty: bool) -> None:
    """Load demonstration data and print its logins."""
    from grants.demo import demo_logins, seed_small

    if current_app.config["GRANTS_ENV"] == "production":
        raise click.ClickException("demo data is not loaded into a production installation")
    _writes()
    if scale != "small":
        _seed_scaled(scale, if_empty)
        return
    logins = seed_small(if_empty=if_empty)
    db.session.commit()
    if logins is None:
        click.echo("The database already has data; demo data not loaded.")
        logins = demo_logins()
    else:
        click.echo("Demo network loaded.")
    if logins:
        click.echo("Demo network: /n/uddevalla/  –  logins (password unless changed since):")
        for role, email, password in logins:
            click.echo(f"  {email:<36} {password:<20} {role}")


def _seed_scaled(scale: str, if_empty: bool) -> None:
    from grants.demo.scale import SCALES, seed_scaled

    def progress(done: int, total: int) -> None:
        if done % 10 == 0 or done == total:
            click.echo(f"  {done}/{total} networks", err=True)

    try:
        result = seed_scaled(SCALES[scale], if_empty=if_empty, progress=progress)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    if result is None:
        click.echo("The database already has data; demo data not loaded.")
        return
    click.echo(f"Demo data ({scale}) loaded in {result.seconds:.1f} s:")
    for table, count in sorted(result.counts.items()):
        click.echo(f"  {table:<24} {count:>9}")
    click.echo("Logins in the first network (every demo person has the same password):")
    for role, email, password in result.logins:
        click.echo(f"  {email:<44} {password:<20} {role}")


def register(app: Flask) -> None:
    for group in (
        outbox_cli,
        audit_cli,
        network_cli,
        user_cli,
        demo_cli,
        reminders_cli,
        backup_cli,
        retention_cli,
        files_cli,
    ):
        app.cli.add_command(group)
