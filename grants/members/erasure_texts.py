"""Where the app keeps a person's name or address as text, and replacing it there.

Used by ``erasure.erase_person``: each function looks at one kind of row in the
erasing coordinator's networks (``scope``; None is every network), replaces
the person's name by the pseudonym and the address by the erased one (or by
nothing where an address would be used to send mail), and returns how many
rows changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa
from markupsafe import escape

from grants.core import audit
from grants.core.outbox import OutboxAttachment, OutboxMail
from grants.core.time import utcnow
from grants.extensions import db
from grants.members.models import JoinRequest, JoinRequestStatus, Membership, Organisation, User

CLOSED_REQUEST_NOTE = "Kontaktpersonen har tagits bort ur systemet."
GAVE_UP_NOTE = "Mottagaren har tagits bort ur systemet."


# ---- the name and the address in text -----------------------------------------------


@dataclass(frozen=True)
class Traces:
    """How the person's name and address look in stored text, and what replaces them."""

    name: str
    email: str
    new_name: str
    new_email: str

    @cached_property
    def patterns(self) -> list[tuple[re.Pattern, str]]:
        found = []
        name = " ".join(self.name.split())
        if name:
            # As typed, and as it stands in the HTML part of a mail.
            for form in dict.fromkeys((name, str(escape(name)))):
                words = r"\s+".join(re.escape(word) for word in form.split(" "))
                found.append((re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE), self.new_name))
        if self.email:
            found.append((re.compile(re.escape(self.email), re.IGNORECASE), self.new_email))
        return found

    def replace(self, text: str) -> str:
        for pattern, replacement in self.patterns:
            text = pattern.sub(lambda _match, r=replacement: r, text)
        return text

    def is_name(self, value: str) -> bool:
        return (
            bool(self.name.strip())
            and " ".join(value.split()).lower() == " ".join(self.name.split()).lower()
        )

    def is_email(self, value: str) -> bool:
        return bool(value) and value.strip().lower() == self.email.lower()

    def mentioned_in(self, *columns) -> sa.ColumnElement[bool]:
        """SQL: one of ``columns`` may hold the name or the address (the rows to look at)."""
        needles = [n.lower() for n in (" ".join(self.name.split()), self.email) if n]
        return sa.or_(
            *(
                sa.func.lower(column).contains(needle, autoescape=True)
                for column in columns
                for needle in needles
            )
        )


def _replace_in(rows, columns: tuple[str, ...], traces: Traces) -> int:
    changed = 0
    for row in rows:
        touched = False
        for column in columns:
            value = getattr(row, column)
            if not value:
                continue
            new = traces.replace(value)
            if new != value:
                setattr(row, column, new)
                touched = True
        changed += touched
    return changed


def _replace_in_json(value, traces: Traces):
    if isinstance(value, str):
        return traces.replace(value)
    if isinstance(value, list):
        return [_replace_in_json(item, traces) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in_json(item, traces) for key, item in value.items()}
    return value


def _in_scope(network_column, scope: set[int] | None) -> sa.ColumnElement[bool]:
    return sa.true() if scope is None else network_column.in_(scope)


def join_requests(traces: Traces, scope, actor) -> int:
    requests = db.session.scalars(
        sa.select(JoinRequest).where(
            _in_scope(JoinRequest.network_id, scope),
            traces.mentioned_in(JoinRequest.contact_email, JoinRequest.contact_name)
            | traces.mentioned_in(JoinRequest.message, JoinRequest.decision_note),
        )
    ).all()
    changed = 0
    for request in requests:
        if traces.is_email(request.contact_email) or traces.is_name(request.contact_name):
            request.contact_name = traces.new_name
            request.contact_email = ""
            if request.status == JoinRequestStatus.PENDING:
                # Nobody left to invite: the request is closed rather than left hanging.
                request.status = JoinRequestStatus.REJECTED
                request.decided_at = utcnow()
                request.decided_by = actor
                request.decision_note = CLOSED_REQUEST_NOTE
                audit.record(
                    request.network,
                    "join_request.rejected",
                    request,
                    actor=actor,
                    data={"orgnr": request.orgnr, "contact_erased": True},
                )
        _replace_in([request], ("message", "decision_note"), traces)
        changed += 1
    return changed


def organisations(traces: Traces, scope, *, network=None, actor=None) -> int:
    member_of = sa.select(Membership.organisation_id).where(_in_scope(Membership.network_id, scope))
    organisations = db.session.scalars(
        sa.select(Organisation).where(
            Organisation.id.in_(member_of),
            sa.or_(
                sa.func.lower(Organisation.contact_email) == traces.email.lower(),
                traces.mentioned_in(Organisation.contact_name),
            ),
        )
    ).all()
    changed = 0
    for organisation in organisations:
        if traces.is_email(organisation.contact_email) or traces.is_name(organisation.contact_name):
            # The coordinator sees the pseudonym and enters the organisation's new contact.
            organisation.contact_name = traces.new_name
            organisation.contact_email = ""
            changed += 1
            if network is not None:
                # Every network that mails the organisation sees that its address is gone.
                from grants.members.contact import record_everywhere

                record_everywhere(
                    organisation,
                    network,
                    "organisation.contact_changed",
                    actor=actor,
                    data={"contact_name": "changed", "contact_email": "erased"},
                )
    return changed


def proposals(traces: Traces, scope) -> int:
    from grants.proposals.models import Proposal, ProposalVersion

    proposals = db.session.scalars(
        sa.select(Proposal).where(
            _in_scope(Proposal.network_id, scope),
            traces.mentioned_in(
                Proposal.contact_email, Proposal.contact_name, Proposal.email_text, Proposal.summary
            ),
        )
    ).all()
    changed = 0
    for proposal in proposals:
        if traces.is_email(proposal.contact_email) or traces.is_name(proposal.contact_name):
            # No address: receipts and decisions are not mailed to nobody.
            proposal.contact_name = traces.new_name
            proposal.contact_email = ""
            proposal.contact_phone = ""
        _replace_in([proposal], ("email_text", "summary"), traces)
        changed += 1
    in_scope = sa.select(Proposal.id).where(_in_scope(Proposal.network_id, scope))
    versions = db.session.scalars(
        sa.select(ProposalVersion).where(
            ProposalVersion.proposal_id.in_(in_scope),
            traces.mentioned_in(ProposalVersion.snapshot),
        )
    ).all()
    for version in versions:
        snapshot = json.loads(version.snapshot)
        contact = snapshot.get("contact")
        if isinstance(contact, list) and len(contact) == 3:
            name, email, _phone = contact
            if traces.is_email(email or "") or traces.is_name(name or ""):
                snapshot["contact"] = [traces.new_name, "", ""]
        snapshot = _replace_in_json(snapshot, traces)
        version.snapshot = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
    return changed


def meetings(user: User, traces: Traces, scope) -> int:
    """Attendance lists, chair, secretary, adjusters and texts of the minutes."""
    from grants.meetings.models import Adjuster, AgendaItem, Attendance, Decision, Meeting, Minutes

    meetings = sa.select(Meeting.id).where(_in_scope(Meeting.network_id, scope))
    changed = 0
    adjusters = db.session.scalars(
        sa.select(Adjuster)
        .join(Minutes, Minutes.id == Adjuster.minutes_id)
        .where(
            Minutes.meeting_id.in_(meetings),
            sa.or_(Adjuster.user_id == user.id, traces.mentioned_in(Adjuster.name)),
        )
    ).all()
    for adjuster in adjusters:
        if adjuster.user_id == user.id or traces.is_name(adjuster.name):
            adjuster.name = traces.new_name
            changed += 1
    for model, columns in (
        (Attendance, ("people",)),
        (Minutes, ("chair_name", "secretary_name", "closing_text", "paper_adjustment_note")),
        (AgendaItem, ("minutes_text",)),
    ):
        rows = db.session.scalars(
            sa.select(model).where(
                model.meeting_id.in_(meetings),
                traces.mentioned_in(*(getattr(model, column) for column in columns)),
            )
        ).all()
        changed += _replace_in(rows, columns, traces)
    items = sa.select(AgendaItem.id).where(AgendaItem.meeting_id.in_(meetings))
    decisions = db.session.scalars(
        sa.select(Decision).where(
            Decision.item_id.in_(items), traces.mentioned_in(Decision.conditions, Decision.reason)
        )
    ).all()
    changed += _replace_in(decisions, ("conditions", "reason"), traces)
    return changed


def free_texts(traces: Traces, scope) -> int:
    """Notes and reports that may name the person in passing."""
    from grants.funds.models import Expense, Grant, GrantReport, Payout, Refund
    from grants.proposals.models import Proposal, ProposalMove

    changed = 0
    targets: list[tuple[type, tuple[str, ...], Callable]] = [
        (Grant, ("conditions", "withdrawal_reason"), lambda m: m.network_id),
        (GrantReport, ("done_text", "contribution_text"), lambda m: m.network_id),
        (Payout, ("note", "cancelled_reason"), lambda m: m.network_id),
        (Refund, ("note",), lambda m: m.network_id),
        (Expense, ("payee", "note", "cancelled_reason"), lambda m: m.network_id),
    ]
    for model, columns, network_of in targets:
        rows = db.session.scalars(
            sa.select(model).where(
                _in_scope(network_of(model), scope),
                traces.mentioned_in(*(getattr(model, column) for column in columns)),
            )
        ).all()
        changed += _replace_in(rows, columns, traces)
    moves = db.session.scalars(
        sa.select(ProposalMove).where(
            ProposalMove.proposal_id.in_(
                sa.select(Proposal.id).where(_in_scope(Proposal.network_id, scope))
            ),
            traces.mentioned_in(ProposalMove.reason),
        )
    ).all()
    changed += _replace_in(moves, ("reason",), traces)
    return changed


def outbox(traces: Traces, scope) -> int:
    """Unsent mail to the person is given up; sent mail to them keeps only its subject
    and dates; mail to others that names them has the name replaced."""
    in_scope = (
        sa.true()
        if scope is None
        else sa.or_(OutboxMail.network_id.is_(None), OutboxMail.network_id.in_(scope))
    )
    mails = db.session.scalars(
        sa.select(OutboxMail).where(
            in_scope,
            sa.or_(
                sa.func.lower(OutboxMail.to_address) == traces.email.lower(),
                traces.mentioned_in(OutboxMail.subject, OutboxMail.body_text, OutboxMail.body_html),
            ),
        )
    ).all()
    changed = 0
    for mail in mails:
        if traces.is_email(mail.to_address):
            mail.to_address = traces.new_email
            mail.to_name = traces.new_name
            mail.body_text = ""
            mail.body_html = ""
            db.session.execute(
                sa.delete(OutboxAttachment).where(OutboxAttachment.mail_id == mail.id)
            )
            db.session.expire(mail, ["attachments"])
            if mail.pending:
                mail.gave_up_at = utcnow()
                mail.last_error = GAVE_UP_NOTE
        elif traces.is_name(mail.to_name):
            mail.to_name = traces.new_name
        _replace_in([mail], ("subject", "body_text", "body_html"), traces)
        changed += 1
    return changed
