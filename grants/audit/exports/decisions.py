"""Every decision on a proposal, meeting by meeting, with each organisation's vote and
the organisations that were recused."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from grants.audit.exports import batches, joined
from grants.audit.tabular import Money
from grants.core.labels import label
from grants.core.time import to_local
from grants.extensions import db
from grants.meetings.models import AgendaItem, Decision, Meeting, Vote
from grants.members.models import Organisation
from grants.networks.models import Network, TieRule
from grants.proposals.models import Proposal, reference_of


def header() -> list[str]:
    return [
        _("Möte"),
        _("Mötesdatum"),
        _("Punkt"),
        _("Förslag"),
        _("Aktivitet"),
        _("Sökande"),
        _("Beslut"),
        _("Beslutsform"),
        _("Beviljat belopp (kr)"),
        _("Ja"),
        _("Nej"),
        _("Avstår"),
        _("Vid lika röster"),
        _("Närvarande organisationer"),
        _("Jäviga organisationer"),
        _("Organisationernas röster"),
        _("Villkor"),
        _("Motivering"),
        _("Beslutat"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    applicant = aliased(Organisation)
    query = (
        sa.select(
            Decision.item_id,
            Meeting.number.label("meeting_number"),
            Meeting.starts_at,
            AgendaItem.position,
            Proposal.year,
            Proposal.number,
            Proposal.title,
            applicant.name.label("applicant"),
            Decision.outcome,
            Decision.method,
            Decision.amount_ore,
            Decision.yes,
            Decision.no,
            Decision.abstain,
            Decision.tie_rule_applied,
            Decision.present_organisation_ids,
            Decision.recused_organisation_ids,
            Decision.conditions,
            Decision.reason,
            Decision.decided_at,
        )
        .join(AgendaItem, AgendaItem.id == Decision.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Proposal, Proposal.id == AgendaItem.proposal_id)
        .join(applicant, applicant.id == Proposal.applicant_id)
        .where(Meeting.network_id == network.id)
        .order_by(Meeting.starts_at, Meeting.number, AgendaItem.position, Decision.id)
    )
    for batch in batches(query):
        votes = _votes([row.item_id for row in batch])
        recused = {row.item_id: json.loads(row.recused_organisation_ids or "[]") for row in batch}
        names = _names({org_id for ids in recused.values() for org_id in ids})
        for row in batch:
            yield [
                row.meeting_number,
                to_local(row.starts_at).date(),
                row.position,
                reference_of(row.year, row.number),
                row.title,
                row.applicant,
                label(row.outcome),
                label(row.method) if row.method else "",
                Money(row.amount_ore) if row.amount_ore is not None else None,
                row.yes,
                row.no,
                row.abstain,
                label(TieRule(row.tie_rule_applied)) if row.tie_rule_applied else "",
                len(json.loads(row.present_organisation_ids or "[]")),
                joined(sorted(names.get(org_id, str(org_id)) for org_id in recused[row.item_id])),
                joined(f"{name}: {label(choice)}" for name, choice in votes.get(row.item_id, [])),
                row.conditions,
                row.reason,
                row.decided_at,
            ]


def _votes(item_ids: list[int]) -> dict[int, list[tuple[str, object]]]:
    found: dict[int, list[tuple[str, object]]] = defaultdict(list)
    for item_id, name, choice in db.session.execute(
        sa.select(Vote.item_id, Organisation.name, Vote.choice)
        .join(Organisation, Organisation.id == Vote.organisation_id)
        .where(Vote.item_id.in_(item_ids))
        .order_by(Organisation.name, Organisation.id)
    ):
        found[item_id].append((name, choice))
    return found


def _names(organisation_ids: set[int]) -> dict[int, str]:
    if not organisation_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(
                Organisation.id.in_(organisation_ids)
            )
        ).all()
    )
