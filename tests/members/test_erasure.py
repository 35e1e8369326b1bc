"""The coordinator erases a person who has left: the name and the address go from every
page, the person cannot sign in, and decisions, payouts and the audit chain stay."""

# The meetings fixtures are imported to be used here; pytest passes them by name.
# ruff: noqa: F811
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent, all_chains, verify_chain
from grants.core.errors import DomainError
from grants.core.outbox import OutboxMail
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import payouts
from grants.funds.models import Grant, Payout
from grants.meetings import decisions, minutes, session
from grants.meetings.models import Decision, DecisionMethod, MeetingStatus, Vote
from grants.meetings.rules import Choice
from grants.members import erasure
from grants.members.models import JoinRequest, JoinRequestStatus, Role, RoleKind, User
from grants.proposals.models import Proposal, ProposalVersion
from grants.proposals.operations import ProposalInput, edit_proposal, register_proposal
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    JoinRequestFactory,
    NetworkFactory,
    RoleFactory,
    attestant_of,
    coordinator_of,
    on_its_day,
    representative_of,
)
from tests.meetings.conftest import (  # noqa: F401 (fixtures)
    coordinator,
    meeting,
    members,
    network,
    period,
)

NAME = "Bo Berglund"
EMAIL = "bo.berglund@example.se"
PHONE = "070-123 45 67"


@pytest.fixture
def person(network, members):
    """A second coordinator who also represents the first member organisation."""
    bo = coordinator_of(network, name=NAME, email=EMAIL)
    RoleFactory(user=bo, network=network, role=RoleKind.REPRESENTATIVE, organisation=members[0])
    members[0].contact_name, members[0].contact_email = NAME, EMAIL
    db.session.commit()
    return bo


@pytest.fixture
def story(network, period, meeting, members, coordinator, person):
    """Everything a person leaves behind: a proposal they registered and are the contact
    for (two versions), attendance, the chair and an adjuster of minutes that are now
    adjusted, a payout they registered, a join request and mail to them."""
    today = local_today()

    def data(kronor):
        return ProposalInput(
            applicant=members[0],
            title="Språkcafé på biblioteket",
            summary=f"Samtal på svenska. Frågor till {NAME}.",
            criteria=network.active_criteria[:1],
            planned_start=today + timedelta(days=40),
            planned_end=today + timedelta(days=100),
            requested_ore=kronor * 100,
            budget_rows=[("Fika och material", kronor * 100)],
            contact_name=NAME,
            contact_email=EMAIL,
            contact_phone=PHONE,
        )

    proposal = register_proposal(network, data(15_000), actor=person, by_coordinator=True)
    edit_proposal(proposal, data(12_000), actor=person, by_coordinator=True)
    session.start_session(on_its_day(meeting), actor=coordinator)
    for organisation in members:
        people = NAME if organisation == members[0] else "Namn Namnsson"
        session.record_attendance(
            meeting, organisation, present=True, people=people, actor=coordinator
        )
    item = next(i for i in session.agenda(meeting) if i.proposal_id == proposal.id)
    decisions.open_vote(item, actor=coordinator)
    for organisation in members[1:5]:
        decisions.cast_vote(item, organisation, Choice.YES, actor=coordinator)
    decisions.close_vote(item, actor=coordinator)
    decisions.decide(
        item,
        outcome=None,
        method=DecisionMethod.COUNTED,
        amount_ore=1_000_000,
        actor=coordinator,
    )
    minutes.set_officers(
        meeting, chair=NAME, secretary="Karin Ek", adjuster_ids=[person.id], actor=coordinator
    )
    minutes.close_meeting(meeting, actor=coordinator)
    minutes.approve_minutes(meeting, actor=person)
    assert meeting.status == MeetingStatus.ADJUSTED
    grant = db.session.scalar(sa.select(Grant).where(Grant.proposal_id == proposal.id))
    payout = payouts.register_payout(
        grant, amount_ore=400_000, planned_on=today, note="", actor=person
    )
    payouts.attest_payout(payout, actor=attestant_of(network))
    join_request = JoinRequestFactory(
        network=network, contact_name=NAME, contact_email=EMAIL, message=f"Hälsningar {NAME}"
    )
    sent = db.session.scalar(
        sa.select(OutboxMail).where(OutboxMail.to_address == EMAIL).order_by(OutboxMail.id)
    )
    sent.sent_at = sent.created_at
    db.session.commit()
    return {
        "proposal": proposal,
        "meeting": meeting,
        "grant": grant,
        "join_request": join_request,
        "membership_id": next(m.id for m in members[0].memberships),
    }


def pages(story) -> list[str]:
    """Every page that showed the person, as the coordinator sees it."""
    proposal, meeting, grant = story["proposal"], story["meeting"], story["grant"]
    return [
        "/n/uddevalla/admin/people/",
        f"/n/uddevalla/admin/organisations/{story['membership_id']}",
        f"/n/uddevalla/admin/join-requests/{story['join_request'].id}",
        f"/n/uddevalla/proposals/{proposal.id}",
        f"/n/uddevalla/proposals/{proposal.id}/versions/2",
        f"/n/uddevalla/meetings/{meeting.id}/minutes",
        f"/n/uddevalla/grants/{grant.id}",
        f"/n/uddevalla/audit/trace/{grant.id}",
    ]


def erase(client, user):
    page = f"/n/uddevalla/admin/people/{user.id}/erase"
    return client.submit(page, {"confirm_erasure": "y"}, page=page)


@pytest.fixture
def signed_in(client, coordinator):
    assert client.login(coordinator.email, PASSWORD).status_code == 302
    return client


def test_erasure_removes_the_name_and_address_from_every_page(
    app, signed_in, story, person, network
):
    for page in pages(story):
        text = text_of(signed_in.get(page))
        assert NAME in text, f"{page} should show the person before the erasure"
    assert EMAIL in text_of(signed_in.get("/n/uddevalla/admin/people/"))

    response = erase(signed_in, person)
    assert response.status_code == 302
    assert "Personen är borttagen" in text_of(signed_in.get(response.location))

    replacement = f"Borttagen person #{person.id}"
    others = [  # pages that may name people too
        f"/n/uddevalla/meetings/{story['meeting'].id}",
        "/n/uddevalla/proposals/",
        "/n/uddevalla/funds/",
        "/n/uddevalla/audit/",
    ]
    for page in pages(story) + others:
        response = signed_in.get(page)
        assert response.status_code == 200, page
        text = text_of(response)
        assert NAME not in text and EMAIL not in text and PHONE not in text, page
    minutes_page = text_of(signed_in.get(f"/n/uddevalla/meetings/{story['meeting'].id}/minutes"))
    assert f"Ordförande: {replacement}" in minutes_page


def test_the_erased_person_is_a_pseudonym_without_access_and_without_roles(
    signed_in, story, person
):
    erase(signed_in, person)
    db.session.refresh(person)
    assert person.name == f"Borttagen person #{person.id}"
    assert person.email == f"erased-{person.id}@invalid"
    assert person.password_hash is None
    roles = db.session.scalar(sa.select(sa.func.count(Role.id)).where(Role.user_id == person.id))
    assert roles == 0


def test_the_erased_person_cannot_sign_in_and_their_old_session_ends(app, signed_in, story, person):
    theirs = app.test_client()
    assert theirs.login(EMAIL, PASSWORD).status_code == 302
    assert theirs.get("/auth/account").status_code == 200
    erase(signed_in, person)
    # The cookie they had no longer signs anyone in.
    response = theirs.get("/auth/account")
    assert response.status_code == 302 and "/auth/login" in response.location
    # Neither the old address nor the new one signs in.
    fresh = app.test_client()
    assert fresh.login(EMAIL, PASSWORD).status_code != 302
    assert fresh.login(f"erased-{person.id}@invalid", PASSWORD).status_code != 302


def test_decisions_votes_payouts_and_every_audit_chain_stay_intact(
    signed_in, story, person, network
):
    grant = story["grant"]
    before = {
        "votes": db.session.scalar(sa.select(sa.func.count(Vote.id))),
        "decision": db.session.scalar(sa.select(Decision.amount_ore)),
        "payout": db.session.scalar(sa.select(Payout.registered_by_id)),
        "grant": (grant.amount_ore, grant.state),
        "events": db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    }
    erase(signed_in, person)
    db.session.refresh(grant)
    assert db.session.scalar(sa.select(sa.func.count(Vote.id))) == before["votes"] == 4
    assert db.session.scalar(sa.select(Decision.amount_ore)) == before["decision"]
    assert db.session.scalar(sa.select(Payout.registered_by_id)) == person.id
    assert (grant.amount_ore, grant.state) == before["grant"]
    reports = [verify_chain(chain) for chain in all_chains()]
    assert reports and all(report.ok for report in reports), reports
    # The erasure itself is in the chain, with the person's id and nothing else of theirs.
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "person.erased"))
    assert event.network_id == network.id and event.payload["user_id"] == person.id
    assert NAME not in event.data and EMAIL not in event.data
    newer = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    assert newer > before["events"]  # roles revoked, the join request closed, the erasure


def test_the_persons_traces_in_rows_are_replaced(signed_in, story, person):
    erase(signed_in, person)
    replacement = f"Borttagen person #{person.id}"
    proposal = db.session.get(Proposal, story["proposal"].id)
    assert (proposal.contact_name, proposal.contact_email, proposal.contact_phone) == (
        replacement,
        "",
        "",
    )
    assert NAME not in proposal.summary
    for version in db.session.scalars(sa.select(ProposalVersion)):
        assert NAME not in version.snapshot and EMAIL not in version.snapshot
    request = db.session.get(JoinRequest, story["join_request"].id)
    assert request.contact_name == replacement and request.contact_email == ""
    assert request.status == JoinRequestStatus.REJECTED  # nobody left to invite
    assert NAME not in request.message
    mails = db.session.scalars(sa.select(OutboxMail)).all()
    for mail in mails:
        assert EMAIL not in mail.to_address and NAME not in mail.body_text + mail.body_html
    theirs = [m for m in mails if m.to_address == f"erased-{person.id}@invalid"]
    assert theirs and all(m.body_text == "" and not m.attachments for m in theirs)
    assert all(m.sent_at or m.gave_up_at for m in theirs)  # nothing more goes out to them


def test_the_confirmation_box_must_be_ticked(signed_in, story, person):
    page = f"/n/uddevalla/admin/people/{person.id}/erase"
    response = signed_in.submit(page, {}, page=page)
    assert response.status_code == 400
    assert "Kryssa i rutan" in text_of(response)
    db.session.refresh(person)
    assert person.name == NAME


def test_a_coordinator_cannot_erase_themselves(signed_in, coordinator, person):
    page = f"/n/uddevalla/admin/people/{coordinator.id}/erase"
    response = signed_in.get(page)
    assert "Du kan inte ta bort dina egna uppgifter" in text_of(response)
    response = signed_in.submit(page, {"confirm_erasure": "y"}, page="/n/uddevalla/rules")
    assert response.status_code == 400
    assert "Du kan inte ta bort dina egna uppgifter" in text_of(response)
    db.session.refresh(coordinator)
    assert coordinator.has_password and coordinator.roles


def test_the_last_coordinator_of_a_network_is_not_erased(app, network):
    only = coordinator_of(NetworkFactory(slug="ensam"), name="Ensam Samordnare")
    with pytest.raises(DomainError, match="minst en samordnare"):
        erasure.erase_person(only, actor=None, network=None)
    db.session.rollback()
    assert db.session.get(User, only.id).name == "Ensam Samordnare"


def test_a_person_who_also_belongs_to_another_network_is_refused(signed_in, network, person):
    RoleFactory(user=person, network=NetworkFactory(slug="trollhattan"))
    page = f"/n/uddevalla/admin/people/{person.id}/erase"
    response = signed_in.submit(page, {"confirm_erasure": "y"}, page=page)
    assert response.status_code == 400
    assert "roller i ett nätverk som du inte samordnar" in text_of(response)
    db.session.refresh(person)
    assert person.name == NAME and len(person.roles) == 3


def test_another_networks_person_is_behind_the_wall(signed_in, network):
    stranger = representative_of(NetworkFactory(slug="trollhattan"), name="Olle Okänd")
    page = f"/n/uddevalla/admin/people/{stranger.id}/erase"
    assert signed_in.get(page).status_code == 404
    assert signed_in.submit(page, {"confirm_erasure": "y"}, page="/").status_code == 404
    assert signed_in.get("/n/uddevalla/admin/people/999999/erase").status_code == 404
    db.session.refresh(stranger)
    assert stranger.name == "Olle Okänd"


def test_only_the_coordinator_may_erase(client, network, person, members):
    representative = representative_of(network, members[1])
    client.login(representative.email, PASSWORD)
    page = f"/n/uddevalla/admin/people/{person.id}/erase"
    assert client.get(page).status_code == 403
    assert client.submit(page, {"confirm_erasure": "y"}, page="/").status_code == 403


def test_someone_who_has_left_is_listed_and_can_be_erased(signed_in, network, coordinator):
    leaver = representative_of(network, name="Lena Lämnat", email="lena@example.se")
    role = leaver.roles[0]
    page = "/n/uddevalla/admin/people/"
    revoked = signed_in.submit(f"/n/uddevalla/admin/roles/{role.id}/revoke", page=page)
    assert revoked.status_code == 302
    text = text_of(signed_in.get(page))
    assert "Personer som har lämnat" in text and "Lena Lämnat" in text
    assert erase(signed_in, leaver).status_code == 302
    text = text_of(signed_in.get(page))
    assert "Lena Lämnat" not in text and "lena@example.se" not in text
    # Erasing twice says so and changes nothing.
    again = erase(signed_in, leaver)
    assert again.status_code == 400 and "redan borttagen" in text_of(again)
