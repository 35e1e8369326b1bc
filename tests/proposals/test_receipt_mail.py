"""The receipt reaches the contact person through a real SMTP server."""

import sqlalchemy as sa

from grants.core.outbox import deliver_due
from grants.extensions import db
from grants.proposals.models import Proposal
from tests.factories import (
    PASSWORD,
    CriterionFactory,
    FundingPeriodFactory,
    MeetingFactory,
    NetworkFactory,
    representative_of,
)
from tests.proposals.conftest import NEW, proposal_data


def test_the_receipt_names_the_reference_and_the_meeting(mail_app, smtp_server):
    network = NetworkFactory(slug="uddevalla")
    FundingPeriodFactory(network=network)
    CriterionFactory(network=network)
    MeetingFactory(network=network, number=3, place="Junogatan 2, våning 6")
    person = representative_of(network, email="rep@example.se", locale="en")
    client = mail_app.test_client()
    client.login(person.email, PASSWORD)
    applicant = person.represented_organisations(network)[0]
    response = client.submit(NEW, proposal_data(network, applicant), page=NEW)
    assert response.status_code == 302
    assert deliver_due().sent == 1
    message = smtp_server.handler.messages[0]
    reference = db.session.scalar(sa.select(Proposal)).reference
    assert message["Subject"] == f"Proposal {reference} is registered"
    body = message.get_body(("plain",)).get_content()
    assert "Meeting 3" in body and "Junogatan 2, våning 6" in body
    assert "SEK\u00a012,500.50" in body
    assert "/n/uddevalla/proposals/" in body
