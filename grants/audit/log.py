"""The audit log: the network's chain of events, newest first, filtered and paged.

Filters come from a GET form (``from``, ``to``, ``period``, ``actor``, ``action``,
``organisation``). Each is checked against what exists in this network; a value
that does not fit gets a message and is not applied. A page of 50 events costs
the same number of queries however long the chain is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql

from grants.core.audit import AuditEvent, chain_for
from grants.core.numbers import ascii_int
from grants.core.time import STOCKHOLM
from grants.extensions import db
from grants.funds.models import Expense, FundingPeriod, Grant, GrantReport, Payout, Refund
from grants.meetings.models import AgendaItem, Attendance, Decision, Vote
from grants.members.models import JoinRequest, Membership, Organisation, Role, User
from grants.networks.models import Network
from grants.proposals.models import Proposal, proposal_co_applicants

PER_PAGE = 50

# The query-string names of the filters, in the order the form shows them.
ARG_NAMES = ("from", "to", "period", "actor", "action", "organisation")


@dataclass(frozen=True)
class LogFilters:
    date_from: date | None = None
    date_to: date | None = None
    period_id: int | None = None
    actor_id: int | None = None
    action: str = ""
    organisation_id: int | None = None

    def query_args(self) -> dict[str, str]:
        """The filters in use, as query-string values (for page links and exports)."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "period": str(self.period_id or ""),
            "actor": str(self.actor_id or ""),
            "action": self.action,
            "organisation": str(self.organisation_id or ""),
        }
        return {name: value for name, value in values.items() if value}

    def as_kwargs(self) -> dict:
        """For ``rows(network, **filters)`` of the audit-log export."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "period_id": self.period_id,
            "actor_id": self.actor_id,
            "action": self.action,
            "organisation_id": self.organisation_id,
        }


@dataclass(frozen=True)
class LogChoices:
    """What the filters may be set to in this network."""

    periods: list[FundingPeriod]
    actors: list[tuple[int, str]]  # (user id, name): never an e-mail address
    actions: list[str]
    organisations: list[tuple[int, str]]


@dataclass(frozen=True)
class ParsedFilters:
    filters: LogFilters
    raw: dict[str, str]  # what was typed, to show it again
    errors: dict[str, str] = field(default_factory=dict)  # query-string name: message


def log_choices(network: Network) -> LogChoices:
    """The network's periods, people, actions and organisations (five queries)."""
    chain = chain_for(network)
    periods = list(
        db.session.scalars(
            sa.select(FundingPeriod)
            .where(FundingPeriod.network_id == network.id)
            .order_by(FundingPeriod.starts_on.desc())
        )
    )
    # A user of this network: anyone who holds a role in it or acted in its chain.
    acted = sa.select(AuditEvent.actor_id).where(
        AuditEvent.chain == chain, AuditEvent.actor_id.is_not(None)
    )
    has_role = sa.select(Role.user_id).where(Role.network_id == network.id)
    # The ids first, then their names by primary key: asked in one statement,
    # PostgreSQL hashes every user of the installation to find a network's hundred.
    actor_ids = set(db.session.scalars(sa.union(acted, has_role)))
    actors = [
        (row.id, row.name)
        for row in db.session.execute(
            sa.select(User.id, User.name).where(User.id.in_(actor_ids)).order_by(User.name, User.id)
        )
    ]
    actions = list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.chain == chain)
            .distinct()
            .order_by(AuditEvent.action)
        )
    )
    organisations = [
        (row.id, row.name)
        for row in db.session.execute(
            sa.select(Organisation.id, Organisation.name)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.network_id == network.id)
            .order_by(Organisation.name, Organisation.id)
        )
    ]
    return LogChoices(periods, actors, actions, organisations)


BAD_DATE = _l("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-05-02.")
NOT_IN_LIST = _l("Välj ett av alternativen i listan.")


def parse_filters(args: Mapping[str, str], choices: LogChoices) -> ParsedFilters:
    """The filters from the query string; a value that does not fit gets a message."""
    raw = {name: (args.get(name) or "").strip() for name in ARG_NAMES}
    errors: dict[str, str] = {}

    def a_date(name: str) -> date | None:
        if not raw[name]:
            return None
        try:
            return datetime.strptime(raw[name], "%Y-%m-%d").date()
        except ValueError:
            errors[name] = str(BAD_DATE)
            return None

    def one_of(name: str, allowed: set[int]) -> int | None:
        if not raw[name]:
            return None
        number = ascii_int(raw[name])
        if number is not None and number in allowed:
            return number
        errors[name] = str(NOT_IN_LIST)
        return None

    date_from, date_to = a_date("from"), a_date("to")
    if date_from and date_to and date_from > date_to:
        errors["to"] = str(_l("Slutdatumet kan inte vara före startdatumet."))
        date_to = None
    action = raw["action"]
    if action and action not in choices.actions:
        errors["action"] = str(NOT_IN_LIST)
        action = ""
    filters = LogFilters(
        date_from=date_from,
        date_to=date_to,
        period_id=one_of("period", {period.id for period in choices.periods}),
        actor_id=one_of("actor", {actor_id for actor_id, _ in choices.actors}),
        action=action,
        organisation_id=one_of("organisation", {org_id for org_id, _ in choices.organisations}),
    )
    return ParsedFilters(filters, raw, errors)


def _start_of(day: date) -> datetime:
    """Midnight in Stockholm at the start of ``day``, in UTC."""
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM).astimezone(UTC)


def _data_int(key: str):
    """The whole number under ``key`` in the event's JSON data; NULL when there is none."""
    if db.session.get_bind().dialect.name == "postgresql":
        value = sa.cast(AuditEvent.data, postgresql.JSONB)[key]
        return sa.case((sa.func.jsonb_typeof(value) == "number", value.as_integer()))
    return sa.type_coerce(AuditEvent.data, sa.JSON)[key].as_integer()


def _about(model, ids) -> sa.ColumnElement[bool]:
    return sa.and_(AuditEvent.subject_type == model.__tablename__, AuditEvent.subject_id.in_(ids))


def concerns_organisation(network: Network, organisation_id: int) -> sa.ColumnElement[bool]:
    """An event concerns an organisation when it is about the organisation itself or
    about something of its own, read from the event's subject or its data:

    - the organisation (its creation, changes, payout details), its membership of
      this network, or its join request;
    - the data names it: ``organisation_id`` (attendance, recusal, vote, roles of
      its representatives, membership) or ``applicant_id`` (a proposal arriving);
    - a proposal it applied for or co-applied for: the proposal's own events, or
      data with its ``proposal_id`` (agenda, decisions);
    - an agenda item about such a proposal (the subject, or ``item_id`` in the data:
      votes opened and cast on it);
    - a grant for such a proposal: the grant itself, its payouts, refunds and
      report (the subject, or ``grant_id`` in the data);
    - an expense paid to the organisation.

    Organisations merely present when someone else's proposal was decided, or
    hosting a meeting, are not counted.
    """
    own_proposals = sa.select(Proposal.id).where(
        Proposal.network_id == network.id,
        sa.or_(
            Proposal.applicant_id == organisation_id,
            Proposal.id.in_(
                sa.select(proposal_co_applicants.c.proposal_id).where(
                    proposal_co_applicants.c.organisation_id == organisation_id
                )
            ),
        ),
    )
    own_items = sa.select(AgendaItem.id).where(AgendaItem.proposal_id.in_(own_proposals))
    own_grants = sa.select(Grant.id).where(
        Grant.network_id == network.id, Grant.proposal_id.in_(own_proposals)
    )
    return sa.or_(
        _about(Organisation, [organisation_id]),
        _about(
            Membership,
            sa.select(Membership.id).where(
                Membership.network_id == network.id, Membership.organisation_id == organisation_id
            ),
        ),
        _about(
            JoinRequest,
            sa.select(JoinRequest.id).where(
                JoinRequest.network_id == network.id,
                JoinRequest.organisation_id == organisation_id,
            ),
        ),
        _about(
            Attendance,
            sa.select(Attendance.id).where(Attendance.organisation_id == organisation_id),
        ),
        _about(Vote, sa.select(Vote.id).where(Vote.organisation_id == organisation_id)),
        _data_int("organisation_id") == organisation_id,
        _data_int("applicant_id") == organisation_id,
        _about(Proposal, own_proposals),
        _data_int("proposal_id").in_(own_proposals),
        _about(AgendaItem, own_items),
        _data_int("item_id").in_(own_items),
        _about(Decision, sa.select(Decision.id).where(Decision.item_id.in_(own_items))),
        _about(Grant, own_grants),
        _about(Payout, sa.select(Payout.id).where(Payout.grant_id.in_(own_grants))),
        _about(Refund, sa.select(Refund.id).where(Refund.grant_id.in_(own_grants))),
        _about(GrantReport, sa.select(GrantReport.id).where(GrantReport.grant_id.in_(own_grants))),
        _data_int("grant_id").in_(own_grants),
        _about(
            Expense,
            sa.select(Expense.id).where(
                Expense.network_id == network.id,
                Expense.payee_organisation_id == organisation_id,
            ),
        ),
    )


def filtered_events(network: Network, filters: LogFilters) -> sa.Select:
    """The network's events that pass ``filters`` (not yet ordered), with the actor's name."""
    query = (
        sa.select(AuditEvent, User.name.label("actor_name"))
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.chain == chain_for(network))
    )
    if filters.date_from:
        query = query.where(AuditEvent.at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < _start_of(filters.date_to + timedelta(days=1)))
    if filters.period_id:
        period = db.session.get(FundingPeriod, filters.period_id)
        if period is None or period.network_id != network.id:
            return query.where(sa.false())
        query = query.where(
            AuditEvent.at >= _start_of(period.starts_on),
            AuditEvent.at < _start_of(period.ends_on + timedelta(days=1)),
        )
    if filters.actor_id:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.organisation_id:
        query = query.where(concerns_organisation(network, filters.organisation_id))
    return query


@dataclass(frozen=True)
class LogEntry:
    event: AuditEvent
    actor_name: str | None

    @property
    def grant_id(self) -> int | None:
        """The grant the event is about (itself, or its payout, refund or report)."""
        if self.event.subject_type == Grant.__tablename__:
            return self.event.subject_id
        value = json.loads(self.event.data or "{}").get("grant_id")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def data_pairs(self) -> list[tuple[str, str]]:
        """The event's data as (key, value) text, in the stored (sorted) order."""
        pairs = []
        for key, value in json.loads(self.event.data or "{}").items():
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            pairs.append((key, shown))
        return pairs


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    total: int
    page: int
    pages: int


def log_page(network: Network, filters: LogFilters, page: int = 1) -> LogPage:
    """One page of events, newest first: a count and a page query."""
    query = filtered_events(network, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.order_by(AuditEvent.seq.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return LogPage([LogEntry(row[0], row[1]) for row in rows], total, page, pages)
