"""What the minutes say, gathered once for the web page, the PDF and the public version."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from grants.extensions import db
from grants.meetings.models import Attendance, Meeting, Minutes, Vote
from grants.meetings.session import agenda
from grants.members.models import Organisation


def minutes_context(meeting: Meeting, *, public: bool) -> dict:
    attendance = db.session.scalars(
        sa.select(Attendance)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Attendance.arrived_at)
        .options(joinedload(Attendance.organisation))
    ).all()
    items = agenda(meeting)
    votes_cast = db.session.execute(
        sa.select(Vote.item_id, Vote.organisation_id, Vote.choice).where(
            Vote.item_id.in_([item.id for item in items])
        )
    ).all()
    recused_ids = {
        item.id: json.loads(item.decision.recused_organisation_ids)
        for item in items
        if item.decision is not None
    }
    # Only the organisations these minutes name: an installation holds a region's.
    named = {row.organisation_id for row in votes_cast}.union(*recused_ids.values())
    names = dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(named))
        ).all()
    )
    votes: dict[int, dict[str, list[str]]] = {}
    for item_id, organisation_id, choice in votes_cast:
        votes.setdefault(item_id, {}).setdefault(choice.value, []).append(
            names.get(organisation_id, "")
        )
    recused = {item_id: [names.get(org, "") for org in ids] for item_id, ids in recused_ids.items()}
    return {
        "meeting": meeting,
        "network": meeting.network,
        "minutes": db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting.id)),
        "attendance": [row for row in attendance if row.present or row.left_at],
        "items": items,
        "votes": {item: {k: sorted(v) for k, v in by.items()} for item, by in votes.items()},
        "recused": recused,
        "public": public,
    }
