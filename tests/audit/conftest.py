"""A grant with its whole history: decided at a meeting whose minutes are adjusted,
paid in two instalments with attestation, reported on with a receipt, partly refunded."""

# The meetings fixtures are imported to be used here; pytest passes them by name.
# ruff: noqa: F811
import io

import pytest

from grants.core.time import local_today
from grants.extensions import db
from tests.audit.story import decided_paid_reported
from tests.factories import attestant_of, auditor_of
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
            planned_start=local_today() + timedelta(days=40),
            planned_end=local_today() + timedelta(days=100),
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
    return decided_paid_reported(in_session, proposal, members, coordinator, attestant)
