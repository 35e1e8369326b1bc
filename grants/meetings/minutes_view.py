"""What the minutes say, gathered once for the web page, the PDF and the public version."""

from __future__ import annotations

import json

import sqlalchemy as sa

from grants.extensions import db
from grants.meetings.models import Attendance, Meeting, Minutes, Vote
from grants.meetings.session import agenda
from grants.members.models import Organisation


def minutes_context(meeting: Meeting, *, public: bool) -> dict:
    attendance = db.session.scalars(
        sa.select(Attendance)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Attendance.arrived_at)
    ).all()
    items = agenda(meeting)
    names = (
        {
            organisation.id: organisation.name
            for organisation in db.session.scalars(sa.select(Organisation))
        }
        if items
        else {}
    )
    votes: dict[int, dict[str, list[str]]] = {}
    for vote in db.session.scalars(
        sa.select(Vote).where(Vote.item_id.in_([item.id for item in items]))
    ):
        votes.setdefault(vote.item_id, {}).setdefault(vote.choice.value, []).append(
            names.get(vote.organisation_id, "")
        )
    recused = {
        item.id: [names.get(org, "") for org in json.loads(item.decision.recused_organisation_ids)]
        for item in items
        if item.decision is not None
    }
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
