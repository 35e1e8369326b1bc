"""A network with one of everything, and a person in each role, for the security tests."""

from __future__ import annotations

import io

import pytest

from grants.core.time import local_today
from grants.extensions import db
from grants.funds import expenses, payouts, reports
from grants.funds.models import BudgetLineKind
from grants.meetings import session
from grants.meetings.models import MeetingStatus
from grants.members.models import RoleKind
from grants.networks.operations import draft_rules
from tests.factories import (
    CriterionFactory,
    FundingPeriodFactory,
    GrantFactory,
    JoinRequestFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    RoleFactory,
    attestant_of,
    auditor_of,
    coordinator_of,
    on_its_day,
    representative_of,
)


class Upload:
    def __init__(self, content: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(content), filename


@pytest.fixture
def world(app):
    network = NetworkFactory(slug="uddevalla", public=True)
    criterion = CriterionFactory(network=network)
    period = FundingPeriodFactory(network=network)
    x = MembershipFactory(network=network)
    y = MembershipFactory(network=network)
    spare = MembershipFactory(network=network)
    people = {
        "X": representative_of(network, x.organisation),
        "Y": representative_of(network, y.organisation),
        "C": coordinator_of(network),
        "T": attestant_of(network),
        "U": auditor_of(network),
    }
    other = NetworkFactory(slug="trollhattan")
    people["O"] = coordinator_of(other)
    leaving = MembershipFactory(network=network)  # its representative loses the role
    spare_role = RoleFactory(
        network=network,
        role=RoleKind.REPRESENTATIVE,
        organisation=leaving.organisation,
    )
    adjusted = MeetingFactory(network=network, number=9, status=MeetingStatus.ADJUSTED)
    meeting = MeetingFactory(network=network, number=1)
    proposal = ProposalFactory(
        network=network, period=period, meeting=meeting, applicant=x.organisation
    )
    session.start_session(on_its_day(meeting), actor=people["C"])
    item = next(i for i in session.agenda(meeting) if i.proposal_id == proposal.id)
    grant = GrantFactory(
        proposal=ProposalFactory(network=network, period=period, applicant=x.organisation)
    )
    payout = payouts.register_payout(
        grant, amount_ore=10_000, planned_on=local_today(), note="", actor=people["C"]
    )
    report = reports.submit_report(
        grant,
        done="Gjort",
        participants=3,
        contribution="Bidrog",
        costs=[],
        unused_ore=0,
        files=[Upload(b"%PDF-1.4 kvitto", "kvitto.pdf")],
        actor=people["X"],
    )
    expense = expenses.register_expense(
        network,
        line_kind=BudgetLineKind.MEETINGS,
        spent_on=local_today(),
        amount_ore=10_000,
        payee="Kafé",
        payee_organisation=None,
        note="",
        receipt=Upload(b"%PDF-1.4 kvitto", "kvitto.pdf"),
        actor=people["C"],
    )
    versioned = _versioned_proposal(network, x.organisation, criterion, people["C"])
    document = draft_rules(network, title="Regler", body="Text", change_note="", actor=people["C"])
    join_request = JoinRequestFactory(network=network)
    db.session.commit()
    ids = {
        "slug": "uddevalla",
        "criterion_id": criterion.id,
        "request_id": join_request.id,
        "membership_id": spare.id,
        "role_id": spare_role.id,
        "user_id": spare_role.user_id,
        "document_id": document.id,
        "period_id": period.id,
        "expense_id": expense.id,
        "grant_id": grant.id,
        "payout_id": payout.id,
        "attachment_id": report.attachments[0].id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "organisation_id": x.organisation.id,
        "proposal_id": proposal.id,
        "version": 1,
        "token": "not-a-real-token",
        "filename": "app.css",
    }
    # Routes that need a row in a particular state get their own.
    overrides = {
        "meeting_minutes.public": {"meeting_id": adjusted.id},
        "proposals.version": {"proposal_id": versioned.id, "version": 2},
        "exports.csv": {"name": "payouts"},
        "exports.xlsx": {"name": "payouts"},
    }
    return people, ids, overrides


def _versioned_proposal(network, applicant, criterion, coordinator):
    from grants.proposals.operations import ProposalInput, edit_proposal, register_proposal

    def data(kronor):
        return ProposalInput(
            applicant=applicant,
            title="Läxhjälp",
            summary="Läxhjälp för barn och unga.",
            criteria=[criterion],
            planned_start=local_today().replace(year=local_today().year + 1),
            planned_end=local_today().replace(year=local_today().year + 1),
            requested_ore=kronor * 100,
            budget_rows=[("Material", kronor * 100)],
            contact_name="Kontakt",
            contact_email="kontakt@example.se",
        )

    proposal = register_proposal(network, data(5_000), actor=coordinator, by_coordinator=True)
    edit_proposal(proposal, data(4_000), actor=coordinator, by_coordinator=True)
    return proposal
