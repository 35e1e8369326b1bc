"""Browser tests: the app on a live server, a real SMTP server, and Debian's chromium.

Every test here is marked ``e2e``. Without ``/usr/bin/chromium`` the tests are
skipped, unless ``GRANTS_REQUIRE_BROWSER=1`` (CI) says a missing browser is an
error. Like the rest of the suite, each test runs once per database.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from grants import demo
from grants.core.outbox import DeliveryReport, OutboxMail, deliver_due
from grants.extensions import db
from grants.funds.destinations import set_payout_details
from tests.conftest import SmtpServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
E2E_DIR = Path(__file__).resolve().parent

NETWORK_SLUG = "uddevalla"
NETWORK_NAME = "Integrationsnätverket i Uddevalla"
COORDINATOR_EMAIL = "samordnare@uddevalla.example.se"
COORDINATOR_PASSWORD = "kaffe vid fönstret i Ålsäter"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder ``e2e``; skip them when there is no browser to drive."""
    skip = None
    if not CHROMIUM.exists() and not browser_required():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            if skip:
                item.add_marker(skip)


def browser_required() -> bool:
    return os.environ.get("GRANTS_REQUIRE_BROWSER", "").strip() == "1"


# ---- the app on a live server ------------------------------------------------------------


@dataclass
class LiveServer:
    """The app served over HTTP on 127.0.0.1, with its mail going to ``smtp``."""

    app: Flask
    url: str
    smtp: SmtpServer

    def deliver_mail(self) -> DeliveryReport:
        """Send what the outbox holds, as ``flask outbox send`` would; fail on any error."""
        with self.app.app_context():
            report = deliver_due()
            db.session.remove()
        assert not report.errors, f"mail delivery failed: {report.errors}"
        return report

    def mails_to(self, address: str) -> list:
        return [m for m in self.smtp.handler.messages if address in str(m["To"])]


class QuietRequestHandler(WSGIRequestHandler):
    """No line per request in the test output; errors are still logged."""

    def log_request(self, code="-", size="-") -> None:
        pass


@pytest.fixture
def live_server(make_app, smtp_server) -> Iterator[LiveServer]:
    app = make_app(**smtp_server.config)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    # Links in mail must lead back to this server.
    app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(app=app, url=url, smtp=smtp_server)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def network(live_server) -> None:
    """A network like the demo one: public, with criteria, rules, three members and a
    coordinator who has a password. Built through the app's own operations."""
    from grants.auth.operations import set_password
    from grants.members import operations as members
    from grants.members.models import RoleKind
    from grants.networks import operations as networks

    with live_server.app.app_context():
        network = networks.create_network(
            slug=NETWORK_SLUG,
            name=NETWORK_NAME,
            municipality="Uddevalla",
            project_name="Tillsammans för inkludering",
            about=demo.ABOUT,
            public=True,
        )
        coordinator = members.grant_role(
            network,
            email=COORDINATOR_EMAIL,
            name="Sara Nilsson",
            role=RoleKind.COORDINATOR,
            organisation=None,
            actor=None,
        ).user
        set_password(
            coordinator, COORDINATOR_PASSWORD, confirmation=COORDINATOR_PASSWORD, actor=None
        )
        for text in demo.CRITERIA:
            networks.add_criterion(network, text, actor=coordinator)
        rules = networks.draft_rules(
            network, title="Regler", body=demo.RULES, change_note="", actor=coordinator
        )
        networks.publish_rules(rules, actor=coordinator)
        for number, (name, orgnr, kind, contact, email) in enumerate(demo.ORGANISATIONS[:3]):
            membership = members.add_member_directly(
                network,
                members.OrganisationDetails(name, orgnr, kind, contact, email),
                wants_invitations=True,
                actor=coordinator,
            )
            # Where the network pays each member: given before anything is paid.
            set_payout_details(
                membership, method="bankgiro", number=BANKGIROS[number], actor=coordinator
            )
        # The seeded people's invitations are not part of the story.
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
        db.session.remove()


# ---- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        # Only reached with GRANTS_REQUIRE_BROWSER=1: otherwise the tests were skipped.
        pytest.fail(
            f"GRANTS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Open a page in a browser of its own (cookies and all): one per person in the story.

    Depends on ``live_server`` so that the pages close before the server stops.
    """
    contexts = []

    def open_page(**options):
        # Reduced motion: Bootstrap's smooth scrolling would otherwise leave a newly
        # focused element off screen for a moment, and the tests check that it is visible.
        # ``options`` go to the context too: a phone's viewport and touch, for example.
        context = browser.new_context(
            base_url=live_server.url, locale="sv-SE", reduced_motion="reduce", **options
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


# ---- pre-registration: a pot, a planned meeting and two members who can apply ---------------

# Two of the three members the ``network`` fixture adds, from the demo data: Språkvänner i
# Uddevalla (its representative Ahmad Rahimi) and Studieförbundet Bildning Fyrbodal.
ASSOCIATION, _, _, ASSOCIATION_REP_NAME, ASSOCIATION_REP_EMAIL = demo.ORGANISATIONS[0]
# Valid bankgiro numbers (Luhn), one per member of the network fixtures.
BANKGIROS = ["5050-1055", "5050-1030", "5402-0094", "5051-0098"]
OTHER_ASSOCIATION = demo.ORGANISATIONS[1][0]
ASSOCIATION_REP_PASSWORD = "fika och samtal på torsdagar"
MUNICIPAL_UNIT = "Integrationsenheten, Uddevalla kommun"
MUNICIPAL_UNIT_ORGNR = "212000-1439"
MUNICIPAL_REP_NAME = "Omar Khalil"
MUNICIPAL_REP_EMAIL = "omar.khalil@uddevalla.example.se"
MUNICIPAL_REP_PASSWORD = "kommunhuset vid Kungstorget"
FUNDER = "Hälsopolitiska rådet"
POT_ORE = 10_000_000  # 100 000 kr to apply for


@dataclass(frozen=True)
class PreRegistration:
    """What the ``pre_registration`` fixture set up, as the people in the tests see it."""

    today: date  # in Stockholm
    meeting_day: date  # of meeting 1, at 16:30


@pytest.fixture
def pre_registration(live_server, network) -> PreRegistration:
    """The network takes proposals: a funding period running now with a pot of 100 000 kr,
    meeting 1 planned in 24 days, and two members whose representatives have passwords:
    an association (from ``network``) and a municipal unit. Built with the app's operations."""
    from grants.auth.operations import set_password
    from grants.core.time import STOCKHOLM
    from grants.funds.models import BudgetLineKind
    from grants.funds.operations import create_period, today
    from grants.meetings.operations import plan_meeting
    from grants.members import operations as members
    from grants.members.models import OrganisationKind, User
    from grants.networks.models import Network

    with live_server.app.app_context():
        the_network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR_EMAIL))
        now = today()
        create_period(
            the_network,
            funder=FUNDER,
            starts_on=now - timedelta(days=100),
            ends_on=now + timedelta(days=400),
            note="",
            budgets={
                BudgetLineKind.GRANTS: POT_ORE,
                BudgetLineKind.MEETINGS: 2_000_000,
                BudgetLineKind.TRAINING: 1_000_000,
            },
            actor=coordinator,
        )
        meeting_day = now + timedelta(days=24)
        plan_meeting(
            the_network,
            starts_at=datetime.combine(meeting_day, time(16, 30), tzinfo=STOCKHOLM),
            ends_at=datetime.combine(meeting_day, time(19, 0), tzinfo=STOCKHOLM),
            place="Junogatan 2, våning 6",
            host=None,
            theme="",
            actor=coordinator,
        )
        unit = members.add_member_directly(
            the_network,
            members.OrganisationDetails(
                MUNICIPAL_UNIT,
                MUNICIPAL_UNIT_ORGNR,
                OrganisationKind.MUNICIPAL_UNIT,
                MUNICIPAL_REP_NAME,
                MUNICIPAL_REP_EMAIL,
            ),
            wants_invitations=True,
            actor=coordinator,
        )
        set_payout_details(unit, method="bankgiro", number=BANKGIROS[3], actor=coordinator)
        db.session.flush()
        for email, password in [
            (ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD),
            (MUNICIPAL_REP_EMAIL, MUNICIPAL_REP_PASSWORD),
        ]:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            set_password(user, password, confirmation=password, actor=None)
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
        seeded = PreRegistration(today=now, meeting_day=meeting_day)
        db.session.remove()
    return seeded
