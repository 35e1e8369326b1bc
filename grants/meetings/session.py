"""The meeting itself: agenda, attendance, recusals, votes and decisions.

Operations flush, audit and never commit. Every one of them refuses to touch
an adjusted meeting (invariant 4), and votes and decisions happen only while
the meeting is in session (invariant 3).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.time import local_today, to_local
from grants.extensions import db
from grants.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Recusal,
    Vote,
)
from grants.members.models import Organisation
from grants.networks.models import PROPOSALS_MARKER
from grants.proposals.models import Proposal, ProposalState


def require_unlocked(meeting: Meeting) -> None:
    """Nothing in an adjusted meeting changes, by any route (invariant 4)."""
    if meeting.status == MeetingStatus.ADJUSTED:
        raise DomainError(
            _(
                "Protokollet för mötet är justerat och kan inte ändras. Rättelser görs som nya "
                "beslut på ett senare möte."
            )
        )


def require_in_session(meeting: Meeting) -> None:
    require_unlocked(meeting)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise DomainError(_("Mötet pågår inte. Beslut och röster tas bara under mötet."))


# ---- agenda -----------------------------------------------------------------------------


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The items in order, with what every page shows of them loaded in a fixed number
    of queries (a meeting has about 25 proposals)."""
    return list(
        db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
            .options(
                selectinload(AgendaItem.proposal).joinedload(Proposal.applicant),
                selectinload(AgendaItem.proposal).selectinload(Proposal.co_applicants),
                selectinload(AgendaItem.decision),
            )
        )
    )


def ensure_agenda(meeting: Meeting, *, actor) -> list[AgendaItem]:
    """The standard items once, and an item for every proposal queued for the meeting."""
    require_unlocked(meeting)
    items = agenda(meeting)
    if not items:
        after = False
        lines = [line.strip() for line in meeting.network.agenda_template.splitlines()]
        for position, title in enumerate([line for line in lines if line], start=1):
            if title == PROPOSALS_MARKER:
                after = True
                continue
            db.session.add(
                AgendaItem(
                    meeting=meeting,
                    position=position * 10,
                    kind=AgendaItemKind.STANDARD,
                    title=title,
                    after_proposals=after,
                )
            )
        db.session.flush()
        audit.record(meeting.network, "agenda.created", meeting, actor=actor)
    if not meeting.agenda_frozen:
        on_agenda = {item.proposal_id for item in agenda(meeting) if item.proposal_id}
        queued = db.session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.meeting_id == meeting.id,
                Proposal.state.in_((ProposalState.REGISTERED, ProposalState.DEFERRED)),
            )
            .order_by(Proposal.year, Proposal.number)
        ).all()
        for proposal in queued:
            if proposal.id not in on_agenda:
                add_proposal_item(meeting, proposal, actor=actor)
    return agenda(meeting)


def _proposal_position(meeting: Meeting) -> int:
    """Just before the template's items that come after the proposals (else at the end)."""
    items = agenda(meeting)
    following = next((item.position for item in items if item.after_proposals), None)
    if following is None:
        return max((item.position for item in items), default=0) + 10
    before = max((item.position for item in items if item.position < following), default=0)
    return (before + following) // 2


def add_proposal_item(
    meeting: Meeting, proposal: Proposal, *, actor, late_reason: str = ""
) -> AgendaItem:
    require_unlocked(meeting)
    if meeting.agenda_frozen and not late_reason:
        raise DomainError(
            _("Kallelsen är skickad. Ett förslag läggs till i efterhand bara med en motivering."),
            field="late_reason",
        )
    position = _proposal_position(meeting)
    if any(item.position == position for item in agenda(meeting)):
        _renumber(meeting)
        position = _proposal_position(meeting)
    item = AgendaItem(
        meeting=meeting,
        position=position,
        kind=AgendaItemKind.PROPOSAL,
        title=f"{proposal.reference} {proposal.title}",
        proposal=proposal,
        late_reason=late_reason,
    )
    db.session.add(item)
    proposal.meeting = meeting
    db.session.flush()
    for organisation in [proposal.applicant, *proposal.co_applicants]:
        db.session.add(Recusal(item=item, organisation=organisation, automatic=True))
    audit.record(
        meeting.network,
        "agenda.proposal_added",
        item,
        actor=actor,
        data={"proposal_id": proposal.id, "late": bool(late_reason)},
    )
    return item


def _renumber(meeting: Meeting) -> None:
    for place, item in enumerate(agenda(meeting), start=1):
        item.position = place * 10
    db.session.flush()


# ---- the session ------------------------------------------------------------------------


def held_today(meeting: Meeting) -> bool:
    """Whether the meeting's day (in Stockholm) is today: a meeting is held on its day."""
    return to_local(meeting.starts_at).date() == local_today()


def start_session(meeting: Meeting, *, actor) -> None:
    require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.INVITED):
        raise DomainError(_("Mötet kan inte öppnas igen."))
    if not held_today(meeting):
        raise DomainError(
            _(
                "Mötet är planerat till %(date)s. Ett möte hålls på sin dag: flytta det till "
                "i dag först (”Flytta mötet till i dag”), så får de inbjudna besked.",
                date=to_local(meeting.starts_at).date().isoformat(),
            )
        )
    ensure_agenda(meeting, actor=actor)
    meeting.status = MeetingStatus.IN_SESSION
    audit.record(meeting.network, "meeting.opened", meeting, actor=actor)


def record_attendance(
    meeting: Meeting, organisation: Organisation, *, present: bool, people: str, actor
) -> Attendance:
    """An organisation arrives, leaves or comes back; what counts is who is there now."""
    require_unlocked(meeting)
    if meeting.status not in (
        MeetingStatus.IN_SESSION,
        MeetingStatus.INVITED,
        MeetingStatus.PLANNED,
    ):
        raise DomainError(_("Närvaron registreras under mötet."))
    attendance = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.organisation_id == organisation.id
        )
    )
    if attendance is None:
        attendance = Attendance(meeting=meeting, organisation=organisation)
        db.session.add(attendance)
    from grants.core.time import utcnow

    if present and not attendance.present:
        attendance.arrived_at, attendance.left_at = utcnow(), None
    if not present and attendance.present:
        attendance.left_at = utcnow()
    attendance.present = present
    attendance.people = people
    db.session.flush()
    audit.record(
        meeting.network,
        "attendance.recorded",
        attendance,
        actor=actor,
        data={"organisation_id": organisation.id, "present": present},
    )
    return attendance


def present_organisation_ids(meeting: Meeting) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Attendance.organisation_id).where(
                Attendance.meeting_id == meeting.id, Attendance.present.is_(True)
            )
        )
    )


def recusals_by_item(items: list[AgendaItem]) -> dict[int, set[int]]:
    """``recused_organisation_ids`` of many items in one query."""
    found: dict[int, set[int]] = {item.id: set() for item in items}
    rows = db.session.execute(
        sa.select(Recusal.item_id, Recusal.organisation_id).where(Recusal.item_id.in_(list(found)))
    )
    for item_id, organisation_id in rows:
        found[item_id].add(organisation_id)
    return found


def declared_recusals_by_item(items: list[AgendaItem]) -> dict[int, set[int]]:
    """Per item, the organisations that declared jäv themselves (not the applicants)."""
    found: dict[int, set[int]] = {item.id: set() for item in items}
    rows = db.session.execute(
        sa.select(Recusal.item_id, Recusal.organisation_id).where(
            Recusal.item_id.in_(list(found)), Recusal.automatic.is_(False)
        )
    )
    for item_id, organisation_id in rows:
        found[item_id].add(organisation_id)
    return found


def recused_organisation_ids(item: AgendaItem) -> set[int]:
    return set(
        db.session.scalars(sa.select(Recusal.organisation_id).where(Recusal.item_id == item.id))
    )


def declare_recusal(item: AgendaItem, organisation: Organisation, *, reason: str, actor) -> None:
    """More jäv than the automatic applicant and co-applicants, with a reason."""
    require_in_session(item.meeting)
    if item.status == ItemStatus.DECIDED:
        raise DomainError(_("Punkten är redan beslutad."))
    if organisation.id in recused_organisation_ids(item):
        return
    if not reason:
        raise DomainError(_("Skriv varför organisationen är jävig."), field="reason")
    db.session.add(Recusal(item=item, organisation=organisation, automatic=False, reason=reason))
    db.session.query(Vote).filter_by(item_id=item.id, organisation_id=organisation.id).delete()
    audit.record(
        item.meeting.network,
        "recusal.declared",
        item,
        actor=actor,
        data={"organisation_id": organisation.id},
    )


def withdraw_recusal(item: AgendaItem, organisation: Organisation, *, actor) -> None:
    """A jäv declared by mistake is taken back before the item is decided; the chain keeps
    both. The applicant's and the co-applicants' jäv is not a declaration and stays."""
    require_in_session(item.meeting)
    if item.status == ItemStatus.DECIDED:
        raise DomainError(_("Punkten är redan beslutad."))
    recusal = db.session.scalar(
        sa.select(Recusal).where(
            Recusal.item_id == item.id, Recusal.organisation_id == organisation.id
        )
    )
    if recusal is None:
        raise DomainError(_("Organisationen är inte anmäld som jävig på punkten."))
    if recusal.automatic:
        raise DomainError(
            _("Sökande och medsökande är alltid jäviga om sitt eget förslag: det jävet står kvar.")
        )
    db.session.delete(recusal)
    db.session.flush()
    db.session.expire(item, ["recusals"])
    audit.record(
        item.meeting.network,
        "recusal.withdrawn",
        item,
        actor=actor,
        data={"organisation_id": organisation.id},
    )


def add_item(meeting: Meeting, title: str, *, actor) -> AgendaItem:
    """An item of the coordinator's own (a seminar, a guest, a question)."""
    require_unlocked(meeting)
    if meeting.status not in (
        MeetingStatus.PLANNED,
        MeetingStatus.INVITED,
        MeetingStatus.IN_SESSION,
    ):
        raise DomainError(_("Dagordningen ändras före och under mötet."))
    if not title:
        raise DomainError(_("Skriv punktens rubrik."), field="title")
    items = ensure_agenda(meeting, actor=actor)
    last_fixed = next((item for item in reversed(items) if item.title == "Övriga frågor"), None)
    position = (last_fixed.position - 1) if last_fixed else (items[-1].position + 10)
    item = AgendaItem(meeting=meeting, position=position, kind=AgendaItemKind.OTHER, title=title)
    db.session.add(item)
    db.session.flush()
    _renumber(meeting)
    audit.record(meeting.network, "agenda.item_added", item, actor=actor)
    return item


def remove_item(item: AgendaItem, *, actor) -> None:
    meeting = item.meeting
    require_unlocked(meeting)
    if item.kind == AgendaItemKind.PROPOSAL:
        raise DomainError(
            _("Ett förslag tas bort från dagordningen genom att flyttas eller dras tillbaka.")
        )
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.INVITED):
        raise DomainError(_("Punkter tas bort före mötet."))
    audit.record(
        meeting.network, "agenda.item_removed", item, actor=actor, data={"title": item.title}
    )
    db.session.delete(item)
    db.session.flush()


def move_item(item: AgendaItem, direction: int, *, actor) -> None:
    """Swap an item with the one above (-1) or below (+1)."""
    meeting = item.meeting
    require_unlocked(meeting)
    items = agenda(meeting)
    index = items.index(item)
    other = index + direction
    if not 0 <= other < len(items):
        return
    item.position, items[other].position = items[other].position, item.position
    db.session.flush()
    audit.record(
        meeting.network, "agenda.item_moved", item, actor=actor, data={"position": item.position}
    )
