"""Reading proposals: the filtered, sorted, paged list in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from grants.core.numbers import is_ascii_number
from grants.extensions import db
from grants.members.models import Membership, Organisation
from grants.networks.models import Network
from grants.proposals.models import (
    Proposal,
    ProposalState,
    proposal_co_applicants,
    proposal_criteria,
)

PER_PAGE = 25

SORTS = {
    "newest": (Proposal.created_at.desc(), Proposal.id.desc()),
    "oldest": (Proposal.created_at.asc(), Proposal.id.asc()),
    "amount_desc": (Proposal.requested_ore.desc(), Proposal.id.desc()),
    "amount_asc": (Proposal.requested_ore.asc(), Proposal.id.asc()),
    "title": (Proposal.title.asc(), Proposal.id.asc()),
}


@dataclass
class Filters:
    state: str = ""
    meeting: str = ""  # a meeting id, "none" (awaiting the next meeting) or ""
    criterion: str = ""
    organisation: str = ""
    sort: str = "newest"

    @classmethod
    def from_args(cls, args) -> Filters:
        def digits(name):
            value = (args.get(name) or "").strip()
            return value if is_ascii_number(value) else ""

        state = args.get("state", "")
        meeting = args.get("meeting", "")
        return cls(
            state=state if state in {s.value for s in ProposalState} else "",
            meeting=meeting if meeting == "none" else digits("meeting"),
            criterion=digits("criterion"),
            organisation=digits("organisation"),
            sort=args.get("sort") if args.get("sort") in SORTS else "newest",
        )


@dataclass
class Page:
    proposals: list[Proposal]
    total: int
    page: int
    pages: int
    missing: dict[int, list[str]] = field(default_factory=dict)


def _filtered(network: Network, filters: Filters):
    query = sa.select(Proposal).where(Proposal.network_id == network.id)
    if filters.state:
        query = query.where(Proposal.state == filters.state)
    if filters.meeting == "none":
        query = query.where(Proposal.meeting_id.is_(None))
    elif filters.meeting:
        query = query.where(Proposal.meeting_id == int(filters.meeting))
    if filters.criterion:
        query = query.where(
            sa.exists().where(
                proposal_criteria.c.proposal_id == Proposal.id,
                proposal_criteria.c.criterion_id == int(filters.criterion),
            )
        )
    if filters.organisation:
        organisation_id = int(filters.organisation)
        query = query.where(
            sa.or_(
                Proposal.applicant_id == organisation_id,
                sa.exists().where(
                    proposal_co_applicants.c.proposal_id == Proposal.id,
                    proposal_co_applicants.c.organisation_id == organisation_id,
                ),
            )
        )
    return query


def proposal_page(
    network: Network, filters: Filters, page: int = 1, *, with_missing: bool = False
) -> Page:
    query = _filtered(network, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    rows = (
        db.session.scalars(
            # Applicants and meetings by primary key after the page is chosen: joined
            # into the sorted query, PostgreSQL hashed every organisation and meeting of
            # the installation before it could sort and cut the network's page.
            query.options(
                selectinload(Proposal.applicant),
                selectinload(Proposal.meeting),
                selectinload(Proposal.criteria),
                selectinload(Proposal.budget_rows),
            )
            .order_by(*SORTS[filters.sort])
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
        .unique()
        .all()
    )
    result = Page(rows, total, page, pages)
    if with_missing:
        result.missing = missing_parts(network, rows)
    return result


def missing_parts(network: Network, proposals: list[Proposal]) -> dict[int, list[str]]:
    """What the coordinator should look at before a meeting, per proposal id."""
    from flask_babel import gettext as _

    active = (
        set(
            db.session.scalars(
                sa.select(Membership.organisation_id).where(
                    Membership.network_id == network.id,
                    Membership.active.is_(True),
                    Membership.organisation_id.in_({p.applicant_id for p in proposals}),
                )
            )
        )
        if proposals
        else set()
    )
    missing: dict[int, list[str]] = {}
    for proposal in proposals:
        notes = []
        if not any(criterion.active for criterion in proposal.criteria):
            notes.append(_("inget kriterium uppfyllt"))
        if proposal.budget_total_ore != proposal.requested_ore:
            notes.append(_("budgeten går inte ihop"))
        if proposal.applicant_id not in active and proposal.applicant.kind != "network_itself":
            notes.append(_("sökandens medlemskap har upphört"))
        if notes:
            missing[proposal.id] = notes
    return missing


def proposal_for_page(network: Network, proposal_id: int) -> Proposal | None:
    """One proposal with everything its page shows, in a fixed number of queries."""
    return (
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.id == proposal_id, Proposal.network_id == network.id)
            .options(
                joinedload(Proposal.applicant),
                joinedload(Proposal.meeting),
                joinedload(Proposal.raised_at_meeting),
                joinedload(Proposal.registered_by),
                selectinload(Proposal.criteria),
                selectinload(Proposal.co_applicants),
                selectinload(Proposal.budget_rows),
                selectinload(Proposal.versions),
                selectinload(Proposal.moves),
            )
        )
        .unique()
        .one_or_none()
    )


def organisations_in(network: Network) -> list[Organisation]:
    """Every organisation that is or was a member, for the filter."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.network_id == network.id)
            .order_by(Organisation.name)
        )
    )


def active_member_organisations(network: Network) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.network_id == network.id, Membership.active.is_(True))
            .order_by(Organisation.name)
        )
    )


def proposals_of(network: Network, organisation: Organisation):
    """Proposals an organisation made or joined, and its grants, in this network."""
    from grants.funds.models import Grant

    proposals = (
        db.session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.network_id == network.id,
                sa.or_(
                    Proposal.applicant_id == organisation.id,
                    sa.exists().where(
                        proposal_co_applicants.c.proposal_id == Proposal.id,
                        proposal_co_applicants.c.organisation_id == organisation.id,
                    ),
                ),
            )
            .options(joinedload(Proposal.applicant), joinedload(Proposal.meeting))
            .order_by(Proposal.created_at.desc())
        )
        .unique()
        .all()
    )
    grants = db.session.scalars(
        sa.select(Grant)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .where(Grant.network_id == network.id, Proposal.applicant_id == organisation.id)
        .order_by(Grant.created_at.desc())
    ).all()
    return proposals, grants
