"""The story every audit test follows: a proposal decided at a meeting whose minutes
are adjusted, paid in two attested instalments, reported with a receipt, and the
unused part refunded. Through the real operations, so the chain holds every step."""

import io

import sqlalchemy as sa

from grants.core.time import local_today
from grants.extensions import db
from grants.funds import payouts, reports
from grants.funds.models import Grant
from grants.meetings import decisions, minutes, session
from grants.meetings.models import DecisionMethod
from grants.meetings.rules import Choice
from tests.factories import representative_of

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class Upload:
    def __init__(self, content: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(content), filename


def decided_paid_reported(meeting, proposal, members, coordinator, attestant) -> Grant:
    """From a meeting in session with ``members`` present (``members[0]`` the applicant,
    ``members[1]`` the co-applicant, four more voting) to a closed, partly refunded grant."""
    network = meeting.network
    item = next(i for i in session.agenda(meeting) if i.proposal_id == proposal.id)
    decisions.open_vote(item, actor=coordinator)
    for organisation, choice in zip(
        members[2:], [Choice.YES, Choice.YES, Choice.YES, Choice.NO], strict=True
    ):
        decisions.cast_vote(item, organisation, choice, actor=coordinator)
    decisions.close_vote(item, actor=coordinator)
    decisions.decide(
        item,
        outcome=None,
        method=DecisionMethod.COUNTED,
        amount_ore=1_250_000,
        conditions="Redovisa antal deltagare.",
        actor=coordinator,
    )
    adjuster = representative_of(network, members[2], name="Amina Hassan")
    minutes.set_officers(
        meeting,
        chair="Sara Nilsson",
        secretary="Karin Ek",
        adjuster_ids=[adjuster.id],
        actor=coordinator,
    )
    minutes.close_meeting(meeting, actor=coordinator)
    minutes.record_paper_adjustment(
        meeting, note="Justerat på papper 2026-05-04 av Amina Hassan.", actor=coordinator
    )
    grant = db.session.scalar(sa.select(Grant).where(Grant.proposal_id == proposal.id))
    today = local_today()
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
    reports.accept_report(report, actor=coordinator, early_seen=True)  # seeded in one day
    payouts.register_refund(
        grant, amount_ore=50_000, received_on=today, reference="BG-4471", note="", actor=coordinator
    )
    db.session.commit()
    return grant
