"""The main pages of the benchmark, found in the seeded data of the first network.

Shared by `make bench` (bench/run.py) and the suite's check that each page runs
the same number of SQL queries whatever the amount of data
(tests/test_query_counts.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from grants.extensions import db
from grants.funds.models import Grant, GrantReport, Payout
from grants.meetings.models import Meeting, MeetingStatus
from grants.members.models import Role, RoleKind, User
from grants.networks.models import Network
from grants.proposals.models import Proposal


def _first(statement):
    return db.session.scalar(statement.limit(1))


def find_ids() -> dict:
    """Ids of a typical row of each kind in the first network, and who signs in."""
    network = _first(sa.select(Network).order_by(Network.id))
    in_network = network.id
    # A grant with the whole story (payouts and a report), as the auditor traces.
    grant = _first(
        sa.select(Grant.id)
        .join(Payout, Payout.grant_id == Grant.id)
        .join(GrantReport, GrantReport.grant_id == Grant.id)
        .where(Grant.network_id == in_network)
        .order_by(Grant.id)
    )
    proposal = _first(
        sa.select(Proposal.id).where(Proposal.network_id == in_network).order_by(Proposal.id)
    )
    meeting = _first(
        sa.select(Meeting.id)
        .where(Meeting.network_id == in_network, Meeting.status == MeetingStatus.ADJUSTED)
        .order_by(Meeting.starts_at.desc())
    )

    def who(kind: RoleKind) -> str | None:
        return _first(
            sa.select(User.email)
            .join(Role, Role.user_id == User.id)
            .where(Role.network_id == in_network, Role.role == kind)
            .order_by(User.id)
        )

    return {
        "slug": network.slug,
        "grant": grant,
        "proposal": proposal,
        "meeting": meeting,
        "coordinator": who(RoleKind.COORDINATOR),
        "auditor": who(RoleKind.AUDITOR),
    }


def main_pages(ids: dict) -> dict[str, tuple[str, str | None]]:
    """Page name → (path, the role that signs in, or None for the public)."""
    n = f"/n/{ids['slug']}"
    listed = {
        "public network page": (f"{n}/", None, "slug"),
        "funded list": (f"{n}/funded", None, "slug"),
        "proposals list": (f"{n}/proposals/", "coordinator", "slug"),
        "a proposal": (f"{n}/proposals/{ids['proposal']}", "coordinator", "proposal"),
        "a meeting": (f"{n}/meetings/{ids['meeting']}", "coordinator", "meeting"),
        "the session screen": (f"{n}/meetings/{ids['meeting']}/session", "coordinator", "meeting"),
        "the minutes": (f"{n}/meetings/{ids['meeting']}/minutes", "coordinator", "meeting"),
        "a grant": (f"{n}/grants/{ids['grant']}", "coordinator", "grant"),
        "the ledger": (f"{n}/funds/", "coordinator", "slug"),
        "the auditor overview": (f"{n}/audit/", "auditor", "slug"),
        "a trace page": (f"{n}/audit/trace/{ids['grant']}", "auditor", "grant"),
        "the audit log": (f"{n}/audit/log", "auditor", "slug"),
    }
    # Small data may lack a grant or a meeting: those pages are left out.
    return {name: (path, role) for name, (path, role, needs) in listed.items() if ids.get(needs)}
