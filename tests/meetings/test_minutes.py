"""Minutes: officers, closing, adjustment by the adjusters, the PDF, mails, the public version."""

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from grants.core.errors import DomainError
from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.meetings import decisions, minutes
from grants.meetings.minutes_pdf import minutes_pdf
from grants.meetings.models import DecisionMethod, MeetingStatus
from grants.meetings.rules import Choice
from tests.conftest import text_of
from tests.factories import PASSWORD, representative_of
from tests.meetings.conftest import item_for


@pytest.fixture
def decided(in_session, proposal, members, coordinator, network):
    """The meeting voted on the proposal (3 yes, 1 no) and approved 15 000 kr."""
    item = item_for(in_session, proposal)
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
        amount_ore=1_500_000,
        conditions="Redovisa antal deltagare.",
        actor=coordinator,
    )
    db.session.commit()
    return in_session


@pytest.fixture
def adjusters(network, members):
    return [
        representative_of(network, members[2], name="Amina Hassan"),
        representative_of(network, members[3], name="Erik Johansson"),
    ]


def with_officers(meeting, adjusters, coordinator):
    minutes.set_officers(
        meeting,
        chair="Sara Nilsson",
        secretary="Karin Ek",
        adjuster_ids=[person.id for person in adjusters],
        actor=coordinator,
    )
    minutes.close_meeting(meeting, actor=coordinator)
    db.session.commit()


def test_the_meeting_cannot_close_with_an_undecided_proposal(
    in_session, proposal, coordinator, network, members
):
    adjuster = representative_of(network, members[2])
    minutes.set_officers(
        in_session, chair="A", secretary="B", adjuster_ids=[adjuster.id], actor=coordinator
    )
    with pytest.raises(DomainError, match="Besluta först om"):
        minutes.close_meeting(in_session, actor=coordinator)


def test_adjusters_are_chosen_among_those_present(in_session, network, coordinator, members):
    from tests.factories import MembershipFactory

    absent = representative_of(network, MembershipFactory(network=network).organisation)
    with pytest.raises(DomainError, match="bland dem som är närvarande"):
        minutes.set_officers(
            in_session, chair="A", secretary="B", adjuster_ids=[absent.id], actor=coordinator
        )
    with pytest.raises(DomainError, match="en eller två"):
        minutes.set_officers(
            in_session, chair="A", secretary="B", adjuster_ids=[], actor=coordinator
        )


def test_when_all_adjusters_approve_the_meeting_is_locked_and_mailed(
    decided, adjusters, coordinator, proposal
):
    with_officers(decided, adjusters, coordinator)
    assert minutes.approve_minutes(decided, actor=adjusters[0]) is False
    assert decided.status == MeetingStatus.HELD
    assert minutes.approve_minutes(decided, actor=adjusters[1]) is True
    db.session.commit()
    assert decided.status == MeetingStatus.ADJUSTED
    mails = db.session.scalars(sa.select(OutboxMail)).all()
    minutes_mails = [mail for mail in mails if mail.kind == "minutes_adjusted"]
    assert minutes_mails and all(
        mail.attachments[0].content_type == "application/pdf" for mail in minutes_mails
    )
    decision_mail = next(mail for mail in mails if mail.kind == "decision")
    assert decision_mail.to_address == proposal.contact_email
    assert "15 000 kr" in decision_mail.body_text.replace("\u00a0", " ")
    assert "Redovisa antal deltagare." in decision_mail.body_text
    # Locked: nothing changes now.
    with pytest.raises(DomainError, match="justerat"):
        minutes.write_minutes(decided, texts={}, closing_text="x", actor=coordinator)


def test_someone_who_is_not_an_adjuster_cannot_approve(decided, adjusters, coordinator, network):
    with_officers(decided, adjusters, coordinator)
    with pytest.raises(DomainError, match="inte justerare"):
        minutes.approve_minutes(decided, actor=coordinator)


def test_a_paper_adjustment_needs_date_and_names(decided, adjusters, coordinator):
    with_officers(decided, adjusters, coordinator)
    with pytest.raises(DomainError, match="när och av vem"):
        minutes.record_paper_adjustment(decided, note="", actor=coordinator)
    minutes.record_paper_adjustment(
        decided, note="2026-12-20, Amina Hassan och Erik Johansson", actor=coordinator
    )
    assert decided.status == MeetingStatus.ADJUSTED


def test_the_pdf_reads_like_swedish_minutes(decided, adjusters, coordinator, members, proposal):
    with_officers(decided, adjusters, coordinator)
    item = item_for(decided, proposal)
    minutes.write_minutes(
        decided,
        texts={item.id: "Diskussion om lokalen."},
        closing_text="Ordföranden tackade.",
        actor=coordinator,
    )
    db.session.commit()
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(minutes_pdf(decided))).pages
    )
    assert f"Protokoll, nätverksträff {decided.number}" in text
    assert "Ordförande: Sara Nilsson" in text and "Sekreterare: Karin Ek" in text
    assert "Nätverket beslutar att bevilja" in text and "15 000 kr" in text
    assert "3 ja, 1 nej, 0 avstod" in text
    assert f"Nej: {members[5].name}" in text
    assert f"Jäv, deltog inte i beslutet: {members[0].name}" in text
    assert "Diskussion om lokalen." in text and "Sida 1 av" in text


def test_the_public_minutes_name_organisations_not_people(
    client, decided, adjusters, coordinator, members
):
    with_officers(decided, adjusters, coordinator)
    minutes.record_paper_adjustment(
        decided, note="Amina Hassan och Erik Johansson", actor=coordinator
    )
    db.session.commit()
    page = text_of(client.get(f"/n/uddevalla/meetings/{decided.id}/minutes/public"))
    assert members[2].name in page and "15 000 kr" in page
    for person in ("Amina Hassan", "Erik Johansson", "Sara Nilsson", "Karin Ek", "Namn"):
        assert person not in page
    assert f"Nätverksträff {decided.number}" in text_of(client.get("/n/uddevalla/"))


def test_public_minutes_exist_only_once_adjusted(client, decided):
    assert client.get(f"/n/uddevalla/meetings/{decided.id}/minutes/public").status_code == 404


def test_an_adjuster_approves_on_the_minutes_page(app, decided, adjusters, coordinator):
    with_officers(decided, adjusters, coordinator)
    browser = app.test_client()
    browser.login(adjusters[0].email, PASSWORD)
    page = f"/n/uddevalla/meetings/{decided.id}/minutes"
    assert "Du är justerare" in text_of(browser.get(page))
    browser.submit(page + "/approve", page=page)
    assert "Ditt godkännande är registrerat" in text_of(browser.get(page))
    db.session.refresh(decided)
    assert decided.status == MeetingStatus.HELD
    pdf = browser.get(f"/n/uddevalla/meetings/{decided.id}/minutes.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF")
