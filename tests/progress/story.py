"""A funding period with something of everything, done through the real operations:
one meeting held with attendance, one planned, proposals in every state, two grants,
a payout, a refund and expenses on the meetings and training lines.

``Expected`` says what the progress report must show for it."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from grants.core.time import local_today, utcnow
from grants.extensions import db
from grants.funds import expenses, payouts
from grants.funds.models import BudgetLineKind, FundingPeriod, Grant
from grants.meetings import decisions, session
from grants.meetings.models import DecisionMethod, MeetingStatus
from grants.meetings.rules import Outcome
from grants.proposals.operations import withdraw_proposal
from tests.factories import (
    CriterionFactory,
    FundingPeriodFactory,
    MeetingFactory,
    MembershipFactory,
    ProposalFactory,
    on_its_day,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class Upload:
    def __init__(self, content: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(content), filename


@dataclass
class Story:
    period: FundingPeriod
    other_period: FundingPeriod
    organisations: list = field(default_factory=list)
    criteria: list = field(default_factory=list)


# What the report must show for the story (amounts in öre).
EXPECTED = {
    "held": 1,
    "planned": 1,
    "received": 6,
    "approved": 2,
    "rejected": 1,
    "deferred": 1,
    "withdrawn": 1,
    "waiting": 1,
    "deferrals": 1,
    "requested": 5_100_000,  # 20 000 + 10 000 + 5 000 + 3 000 + 7 000 + 6 000 kr
    "granted": 1_900_000,  # 15 000 − 2 000 refunded + 6 000 kr
    "paid": 1_000_000,
    "refunded": 200_000,
    "reports_outstanding": 2,
    "reports_overdue": 1,
    "present": 5,
    "members": 6,
    # criterion → (proposals, requested, granted); a proposal counts under each criterion
    "criteria": {
        "Språk och möten": (2, 3_000_000, 1_300_000),
        "Barn och unga": (2, 2_700_000, 1_300_000),
        "Hälsa": (2, 1_100_000, 600_000),
        None: (1, 300_000, 0),
    },
    # line → (budget, committed, paid)
    "meetings_line": (2_000_000, 150_000, 150_000),
    "training_line": (1_000_000, 80_000, 0),
}


def build(network, coordinator, attestant) -> Story:
    """The story in ``network``, which must have no funding period yet."""
    today = local_today()
    now = utcnow()
    period = FundingPeriodFactory(network=network)  # 100 000 / 20 000 / 10 000 kr
    other_period = FundingPeriodFactory(
        network=network, starts_on=today - timedelta(days=500), ends_on=today - timedelta(days=101)
    )
    language = CriterionFactory(network=network, text="Språk och möten", position=1)
    young = CriterionFactory(network=network, text="Barn och unga", position=2)
    health = CriterionFactory(network=network, text="Hälsa", position=3)
    CriterionFactory(network=network, text="Gammalt kriterium", position=4, active=False)
    organisations = [
        MembershipFactory(network=network, joined_at=now - timedelta(days=365)).organisation
        for _ in range(6)
    ]
    held = MeetingFactory(
        network=network,
        number=1,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=2),
    )
    planned = MeetingFactory(network=network, number=2, starts_at=now + timedelta(days=30))
    # Neither of these belongs in the report: one before the period, one cancelled.
    MeetingFactory(network=network, number=3, starts_at=now - timedelta(days=200))
    MeetingFactory(
        network=network,
        number=4,
        starts_at=now + timedelta(days=10),
        status=MeetingStatus.CANCELLED,
    )

    def proposal(kronor, criteria, applicant, **fields):
        return ProposalFactory(
            network=network,
            period=period,
            applicant=applicant,
            requested_ore=kronor * 100,
            criteria=criteria,
            **fields,
        )

    approved = proposal(20_000, [language, young], organisations[0], meeting=held)
    rejected = proposal(10_000, [language], organisations[1], meeting=held)
    deferred = proposal(5_000, [health], organisations[2], meeting=held)
    late = proposal(
        6_000,
        [health],
        organisations[3],
        meeting=held,
        planned_start=today - timedelta(days=100),
        planned_end=today - timedelta(days=70),  # its report was due ten days ago
    )
    withdrawn = proposal(3_000, [], organisations[4])
    proposal(7_000, [young], organisations[5], meeting=planned)  # waits for meeting 2
    # In another period: not counted.
    ProposalFactory(network=network, period=other_period, applicant=organisations[0])

    session.start_session(on_its_day(held), actor=coordinator)
    for organisation in organisations[:5]:
        session.record_attendance(held, organisation, present=True, people="", actor=coordinator)
    # One came and left early (still counts as present); one sent word it could not come.
    session.record_attendance(held, organisations[4], present=False, people="", actor=coordinator)
    session.record_attendance(held, organisations[5], present=False, people="", actor=coordinator)

    items = {item.proposal_id: item for item in session.agenda(held) if item.proposal_id}
    decisions.decide(
        items[approved.id],
        outcome=Outcome.APPROVED,
        method=DecisionMethod.ACCLAMATION,
        amount_ore=1_500_000,
        actor=coordinator,
    )
    decisions.decide(
        items[rejected.id],
        outcome=Outcome.REJECTED,
        method=DecisionMethod.ACCLAMATION,
        actor=coordinator,
    )
    decisions.decide(
        items[deferred.id],
        outcome=Outcome.DEFERRED,
        method=None,
        reason="Budgeten behöver förtydligas.",
        actor=coordinator,
    )
    decisions.decide(
        items[late.id],
        outcome=Outcome.APPROVED,
        method=DecisionMethod.ACCLAMATION,
        actor=coordinator,
    )
    withdraw_proposal(withdrawn, actor=coordinator)

    grant = db.session.scalar(sa.select(Grant).where(Grant.proposal_id == approved.id))
    payout = payouts.register_payout(
        grant, amount_ore=1_000_000, planned_on=today, note="", actor=coordinator
    )
    payouts.attest_payout(payout, actor=attestant)
    payouts.mark_paid(payout, paid_on=today, accounting_ref="V-2026-0101", actor=coordinator)
    payouts.register_refund(
        grant,
        amount_ore=200_000,
        received_on=today,
        reference="BG-4471",
        note="",
        actor=coordinator,
    )

    coffee = expenses.register_expense(
        network,
        line_kind=BudgetLineKind.MEETINGS,
        spent_on=today,
        amount_ore=150_000,
        payee="Kafé Gästis",
        payee_organisation=None,
        note="Fika till möte 1",
        receipt=Upload(PDF, "kvitto.pdf"),
        actor=coordinator,
    )
    expenses.attest_expense(coffee, actor=attestant)
    expenses.mark_expense_paid(
        coffee, paid_on=today, accounting_ref="V-2026-0102", actor=coordinator
    )
    expenses.register_expense(
        network,
        line_kind=BudgetLineKind.TRAINING,
        spent_on=today,
        amount_ore=80_000,
        payee="Studieförbundet",
        payee_organisation=None,
        note="Föreläsning om bemötande",
        receipt=Upload(PDF, "faktura.pdf"),
        actor=coordinator,
    )
    db.session.commit()
    return Story(period, other_period, organisations, [language, young, health])
