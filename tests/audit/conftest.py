"""A grant with its whole history: decided at a meeting whose minutes are adjusted,
paid in two instalments with attestation, reported on with a receipt, partly refunded."""

# The meetings fixtures are imported to be used here; pytest passes them by name.
# ruff: noqa: F811
import io
from datetime import date

import pytest
import sqlalchemy as sa

from grants.extensions import db
from grants.funds import payouts, reports
from grants.funds.models import Grant
from grants.meetings import decisions, minutes
from grants.meetings.models import DecisionMethod
from grants.meetings.rules import Choice, Outcome
from tests.factories import attestant_of, auditor_of, representative_of
from tests.meetings.conftest import (  # noqa: F401 (fixtures)
    coordinator,
    in_session,
    item_for,
    meeting,
    members,
    network,
    period,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class Upload:
    def __init__(self, content: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(content), filename


@pytest.fixture
def proposal(network, period, meeting, members, coordinator):
    """Registered through the real operation and edited once: two versions, two events."""
    from datetime import timedelta

    from grants.proposals.operations import ProposalInput, edit_proposal, register_proposal

    def data(kronor):
        return ProposalInput(
            applicant=members[0],
            co_applicants=[members[1]],
            title="Språkcafé på biblioteket",
            summary="Samtal på svenska för nyanlända och etablerade.",
            criteria=network.active_criteria[:1],
            planned_start=date.today() + timedelta(days=40),
            planned_end=date.today() + timedelta(days=100),
            requested_ore=kronor * 100,
            budget_rows=[("Fika och material", kronor * 100)],
            contact_name="Leyla Ahmadi",
            contact_email="leyla@example.se",
        )

    proposal = register_proposal(network, data(15_000), actor=coordinator, by_coordinator=True)
    edit_proposal(proposal, data(12_500), actor=coordinator, by_coordinator=True)
    db.session.commit()
    assert proposal.meeting_id == meeting.id and proposal.version == 2
    return proposal


@pytest.fixture
def auditor(network):
    return auditor_of(network, name="Greta Granskare")


@pytest.fixture
def attestant(network):
    return attestant_of(network, name="Bo Budgetansvarig")


@pytest.fixture
def traced(in_session, proposal, members, coordinator, attestant, network):
    """Everything the money path of the funds issue does, through the real operations."""
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    for organisation, choice in zip(
        members[2:], [Choice.YES, Choice.YES, Choice.YES, Choice.NO], strict=True
    ):
        decisions.cast_vote(item, organisation, choice, actor=coordinator)
    decisions.decide(
        item,
        outcome=Outcome.APPROVED,
        method=DecisionMethod.COUNTED,
        amount_ore=1_250_000,
        conditions="Redovisa antal deltagare.",
        actor=coordinator,
    )
    adjuster = representative_of(network, members[2], name="Amina Hassan")
    minutes.set_officers(
        in_session,
        chair="Sara Nilsson",
        secretary="Karin Ek",
        adjuster_ids=[adjuster.id],
        actor=coordinator,
    )
    minutes.close_meeting(in_session, actor=coordinator)
    minutes.record_paper_adjustment(
        in_session, note="Justerat på papper 2026-05-04 av Amina Hassan.", actor=coordinator
    )
    grant = db.session.scalar(sa.select(Grant).where(Grant.proposal_id == proposal.id))
    today = date.today()
    for amount, ref in ((625_000, "V-2026-0101"), (625_000, "V-2026-0144")):
        payout = payouts.register_payout(
            grant, amount_ore=amount, planned_on=today, note="", actor=coordinator
        )
        payouts.attest_payout(payout, actor=attestant)
        payouts.mark_paid(payout, paid_on=today, accounting_ref=ref, actor=coordinator)
    grantee = representative_of(network, members[0], name="Leyla Ahmadi")
    report = reports.submit_report(
        grant,
        done="Tio träffar med språkcafé.",
        participants=41,
        contribution="Nya kontakter mellan nyanlända och föreningslivet.",
        costs=[],
        unused_ore=50_000,
        files=[Upload(PDF, "kvitto.pdf")],
        actor=grantee,
    )
    reports.accept_report(report, actor=coordinator)
    payouts.register_refund(
        grant, amount_ore=50_000, received_on=today, reference="BG-4471", note="", actor=coordinator
    )
    db.session.commit()
    return grant
