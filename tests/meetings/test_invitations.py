"""Invitations with the agenda and a calendar file; updates and cancellations keep the UID."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from grants.core.errors import DomainError
from grants.core.outbox import OutboxMail, deliver_due
from grants.core.time import utcnow
from grants.extensions import db
from grants.meetings import invitations
from grants.meetings.models import MeetingStatus
from grants.meetings.operations import update_meeting
from grants.members.models import Membership
from grants.proposals.models import ProposalState
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    ProposalFactory,
    representative_of,
)


def calendar_of(mail: OutboxMail) -> Calendar:
    attachment = next(a for a in mail.attachments if a.content_type.startswith("text/calendar"))
    return Calendar.from_ical(attachment.data)


def event_of(mail):
    return next(iter(calendar_of(mail).walk("VEVENT")))


@pytest.fixture
def far_meeting(network):
    return MeetingFactory(network=network, number=1, starts_at=utcnow() + timedelta(days=30))


def test_invitations_go_to_representatives_and_contacts_once_each(
    app, network, far_meeting, members, coordinator
):
    representative_of(network, members[0], email=members[0].contact_email)  # same address
    representative_of(network, members[1], email="rep1@example.se")
    quiet = db.session.scalar(
        sa.select(Membership).where(Membership.organisation_id == members[5].id)
    )
    quiet.wants_invitations = False
    db.session.commit()
    sent = invitations.send_invitations(far_meeting, actor=coordinator)
    addresses = sorted(db.session.scalars(sa.select(OutboxMail.to_address)))
    assert sent == len(addresses) == len(set(addresses)) == 6  # 5 contacts + rep1
    assert members[5].contact_email not in addresses
    assert far_meeting.status == MeetingStatus.INVITED


def test_the_invitation_freezes_the_agenda_and_carries_it(
    app, network, far_meeting, period, members, coordinator
):
    proposal = ProposalFactory(
        network=network,
        period=period,
        meeting=far_meeting,
        applicant=members[0],
        title="Språkcafé i Ålsäter",
    )
    invitations.send_invitations(far_meeting, actor=coordinator)
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.ON_AGENDA
    mail = db.session.scalars(sa.select(OutboxMail)).first()
    assert mail.subject.startswith("Kallelse till nätverksträff 1")
    assert "Språkcafé i Ålsäter" in mail.body_text
    assert "Regler och rutiner kring ekonomiska bidrag" in mail.body_text
    # A proposal registered after the invitations goes to the following meeting.
    from grants.meetings.operations import next_open_meeting

    assert next_open_meeting(network) is None or next_open_meeting(network).id != far_meeting.id


def test_the_calendar_file_has_the_stockholm_time_and_a_stable_uid(
    app, network, far_meeting, members, coordinator
):
    invitations.send_invitations(far_meeting, actor=coordinator)
    db.session.commit()
    invitation = event_of(db.session.scalars(sa.select(OutboxMail)).first())
    assert invitation["dtstart"].dt.tzinfo.key == "Europe/Stockholm"
    assert invitation["dtstart"].dt == far_meeting.starts_at.replace(microsecond=0)
    assert calendar_of(db.session.scalars(sa.select(OutboxMail)).first())["method"] == "REQUEST"
    uid = str(invitation["uid"])

    update_meeting(
        far_meeting,
        starts_at=far_meeting.starts_at + timedelta(hours=1),
        ends_at=far_meeting.ends_at + timedelta(hours=1),
        place="Stadsbiblioteket",
        host=None,
        theme="",
        actor=coordinator,
    )
    db.session.commit()
    update = db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.kind == "meeting_changed")
    ).first()
    changed = event_of(update)
    assert str(changed["uid"]) == uid and int(changed["sequence"]) == 1
    assert str(changed["location"]) == "Stadsbiblioteket"

    invitations.cancel_meeting(
        far_meeting, reason="Lokalen är inte tillgänglig.", actor=coordinator
    )
    db.session.commit()
    cancellation = db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.kind == "meeting_cancelled")
    ).first()
    assert calendar_of(cancellation)["method"] == "CANCEL"
    cancelled = event_of(cancellation)
    assert str(cancelled["uid"]) == uid and int(cancelled["sequence"]) == 2
    assert str(cancelled["status"]) == "CANCELLED"
    assert "Lokalen är inte tillgänglig." in cancellation.body_text


def test_a_cancelled_meetings_proposals_go_back_to_the_queue(
    app, network, far_meeting, period, members, coordinator
):
    later = MeetingFactory(network=network, number=2, starts_at=utcnow() + timedelta(days=60))
    proposal = ProposalFactory(
        network=network, period=period, meeting=far_meeting, applicant=members[0]
    )
    invitations.send_invitations(far_meeting, actor=coordinator)
    invitations.cancel_meeting(far_meeting, reason="Sjukdom.", actor=coordinator)
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.meeting_id == later.id and proposal.state == ProposalState.REGISTERED


def test_short_notice_needs_a_confirmation(app, network, members, coordinator):
    soon = MeetingFactory(network=network, number=1, starts_at=utcnow() + timedelta(days=5))
    with pytest.raises(DomainError, match="nätverket skickar kallelser 21 dagar"):
        invitations.send_invitations(soon, actor=coordinator)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0
    assert invitations.send_invitations(soon, actor=coordinator, confirm_short_notice=True) == 6


def test_no_invitations_for_a_meeting_in_the_past(app, network, coordinator):
    past = MeetingFactory(network=network, number=1, starts_at=utcnow() - timedelta(days=1))
    with pytest.raises(DomainError, match="redan börjat eller varit"):
        invitations.send_invitations(past, actor=coordinator, confirm_short_notice=True)


def test_invitations_are_sent_once(app, network, far_meeting, coordinator):
    invitations.send_invitations(far_meeting, actor=coordinator)
    with pytest.raises(DomainError, match="redan skickad"):
        invitations.send_invitations(far_meeting, actor=coordinator)


def test_the_invitation_arrives_over_smtp_with_a_calendar_file(make_app, smtp_server):
    from tests.factories import CriterionFactory, NetworkFactory, coordinator_of

    app = make_app(**smtp_server.config)
    with app.app_context():
        network = NetworkFactory(slug="uddevalla")
        CriterionFactory(network=network)
        MembershipFactory(network=network)
        meeting = MeetingFactory(network=network, number=4, starts_at=utcnow() + timedelta(days=30))
        invitations.send_invitations(meeting, actor=coordinator_of(network))
        db.session.commit()
        assert deliver_due().sent == 1
        db.session.remove()
    message = smtp_server.handler.messages[0]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/calendar" in parts
    event = next(
        iter(Calendar.from_ical(parts["text/calendar"].get_payload(decode=True)).walk("VEVENT"))
    )
    assert event["summary"].startswith("Nätverksträff 4")


def test_the_coordinator_sends_invitations_from_the_meeting_page(
    client, network, far_meeting, coordinator, members
):
    client.login(coordinator.email, PASSWORD)
    page = f"/n/uddevalla/meetings/{far_meeting.id}"
    response = client.submit(page + "/invite", page=page)
    assert response.status_code == 302
    assert "Kallelsen är skickad till 6 mottagare" in text_of(client.get(page))


def test_the_public_calendar_feed(client, network, far_meeting):
    response = client.get("/n/uddevalla/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.data).walk("VEVENT"))
    assert len(events) == 1 and "Nätverksträff 1" in str(events[0]["summary"])


def test_the_short_notice_tick_box_shows_only_when_needed(client, network, coordinator, members):
    client.login(coordinator.email, PASSWORD)
    far = MeetingFactory(network=network, number=1, starts_at=utcnow() + timedelta(days=40))
    soon = MeetingFactory(network=network, number=2, starts_at=utcnow() + timedelta(days=5))
    assert "även om det är kortare tid" not in text_of(
        client.get(f"/n/uddevalla/meetings/{far.id}")
    )
    assert "även om det är kortare tid" in text_of(client.get(f"/n/uddevalla/meetings/{soon.id}"))
