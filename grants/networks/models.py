from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.core.db import str_enum
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db

# The draft agenda of the source; the line "[förslag]" is where the proposals go.
PROPOSALS_MARKER = "[förslag]"
DEFAULT_AGENDA_TEMPLATE = "\n".join(
    [
        "Presentationsrunda av medverkande organisationer",
        "Kommunens integrationsarbete",
        "Hur kan vi tillsammans bidra till integration?",
        "Regler och rutiner kring ekonomiska bidrag",
        PROPOSALS_MARKER,
        "Aktuella behov, möjligheter och problem",
        "Nästa möte",
        "Övriga frågor",
    ]
)


class TieRule(StrEnum):
    CHAIR_DECIDES = "chair_decides"
    REJECTED = "rejected"


class Network(db.Model):
    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    municipality: Mapped[str] = mapped_column(sa.String(120))
    project_name: Mapped[str] = mapped_column(sa.String(200), default="")
    about: Mapped[str] = mapped_column(sa.Text, default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    public: Mapped[bool] = mapped_column(default=True)
    quorum_min_orgs: Mapped[int | None] = mapped_column()
    tie_rule: Mapped[TieRule] = mapped_column(
        str_enum(TieRule, "tie_rule"), default=TieRule.REJECTED
    )
    invite_lead_days: Mapped[int] = mapped_column(default=21)
    max_grant_ore: Mapped[int | None] = mapped_column(sa.BigInteger)
    report_due_days: Mapped[int] = mapped_column(default=60)
    attestation_required: Mapped[bool] = mapped_column(default=True)
    agenda_template: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_AGENDA_TEMPLATE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="network", order_by="Criterion.position"
    )

    __table_args__ = (
        sa.CheckConstraint("invite_lead_days >= 0 AND invite_lead_days <= 120", name="lead_days"),
        sa.CheckConstraint("report_due_days >= 0 AND report_due_days <= 730", name="report_days"),
        sa.CheckConstraint("quorum_min_orgs IS NULL OR quorum_min_orgs >= 1", name="quorum"),
        sa.CheckConstraint("max_grant_ore IS NULL OR max_grant_ore > 0", name="max_grant"),
    )

    @property
    def active_criteria(self) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.active]

    def __repr__(self) -> str:
        return f"<Network {self.slug}>"


class Criterion(db.Model):
    """One of the network's criteria for what qualifies; the network edits them."""

    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(500))
    active: Mapped[bool] = mapped_column(default=True)

    network: Mapped[Network] = relationship(back_populates="criteria")


class RulesDocument(db.Model):
    """A version of the network's rules; the newest published one is in force."""

    __tablename__ = "rules_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    body_markdown: Mapped[str] = mapped_column(sa.Text)
    change_note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()

    __table_args__ = (sa.UniqueConstraint("network_id", "version"),)
