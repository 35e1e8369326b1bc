from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.core.db import str_enum
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db
from grants.networks.models import Network


class OrganisationKind(StrEnum):
    ASSOCIATION = "association"
    CIVIL_SOCIETY_NETWORK = "civil_society_network"
    MUNICIPAL_UNIT = "municipal_unit"
    NETWORK_ITSELF = "network_itself"


class RoleKind(StrEnum):
    COORDINATOR = "coordinator"
    AUDITOR = "auditor"
    REPRESENTATIVE = "representative"
    ATTESTANT = "attestant"  # attests payouts (e.g. the budget holder)


class JoinRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Every organisation has a number, except the network itself (which has none).
    orgnr: Mapped[str | None] = mapped_column(sa.String(11), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        str_enum(OrganisationKind, "organisation_kind"), default=OrganisationKind.ASSOCIATION
    )
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    # Where grants are paid is kept per network, on the membership. These columns are
    # what the previous release read; nothing reads them now, and a later release drops
    # them (migration 7c1e4b9a2d63; docs/architecture.md, "What organisations share").
    legacy_payout_method: Mapped[str | None] = mapped_column("payout_method", sa.String(20))
    legacy_payout_number: Mapped[str | None] = mapped_column("payout_number", sa.String(40))
    legacy_payout_bank: Mapped[str] = mapped_column("payout_bank", sa.String(60), default="")
    legacy_payout_changed_at: Mapped[datetime | None] = mapped_column(
        "payout_changed_at", UTCDateTime
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation")

    __table_args__ = (
        sa.CheckConstraint(
            "orgnr IS NOT NULL OR kind = 'network_itself'", name="orgnr_unless_network"
        ),
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.orgnr} {self.name!r}>"


class Membership(db.Model):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    wants_invitations: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where this network pays the organisation (bankgiro, plusgiro or bank account), as
    # validated. Per network, not per organisation: each network decides and attests
    # where its own money goes, so another network's coordinator or representatives of
    # the same organisation can never redirect it.
    payout_method: Mapped[str | None] = mapped_column(sa.String(20))
    payout_number: Mapped[str | None] = mapped_column(sa.String(40))
    payout_bank: Mapped[str] = mapped_column(sa.String(60), default="")
    payout_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

    @property
    def payout_details(self):
        from grants.core.payment import PayoutDetails, PayoutMethod

        if not self.payout_method or not self.payout_number:
            return None
        return PayoutDetails(PayoutMethod(self.payout_method), self.payout_number, self.payout_bank)

    __table_args__ = (sa.UniqueConstraint("network_id", "organisation_id"),)


class JoinRequest(db.Model):
    """An organisation's request to join; the coordinator approves or rejects it."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    organisation_name: Mapped[str] = mapped_column(sa.String(200))
    orgnr: Mapped[str] = mapped_column(sa.String(11))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, "join_request_kind"))
    contact_name: Mapped[str] = mapped_column(sa.String(200))
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    wants_invitations: Mapped[bool] = mapped_column(default=True)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    locale: Mapped[str] = mapped_column(sa.String(5), default="sv")
    status: Mapped[JoinRequestStatus] = mapped_column(
        str_enum(JoinRequestStatus, "join_request_status"), default=JoinRequestStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))

    network: Mapped[Network] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    decided_by: Mapped[User | None] = relationship()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    # Part of the login id: raising it ends every session issued before.
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str] = mapped_column(sa.String(5), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[Role]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def roles_in(self, network: Network) -> list[Role]:
        return [role for role in self.roles if role.network_id == network.id]

    def has_role(self, network: Network, *kinds: RoleKind) -> bool:
        return any(role.role in kinds for role in self.roles_in(network))

    def represented_organisations(self, network: Network) -> list[Organisation]:
        return [
            role.organisation
            for role in self.roles_in(network)
            if role.role == RoleKind.REPRESENTATIVE and role.organisation is not None
        ]

    def networks(self) -> list[Network]:
        seen: dict[int, Network] = {}
        for role in self.roles:
            seen.setdefault(role.network_id, role.network)
        return sorted(seen.values(), key=lambda network: network.name)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Role(db.Model):
    """A person's role in one network; representatives act for one organisation."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    role: Mapped[RoleKind] = mapped_column(str_enum(RoleKind, "role_kind"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
    network: Mapped[Network] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'representative') = (organisation_id IS NOT NULL)",
            name="organisation_iff_representative",
        ),
        sa.UniqueConstraint("user_id", "network_id", "role", "organisation_id"),
        # NULLs are distinct in a unique constraint, so staff roles need their own index.
        sa.Index(
            "uq_roles_staff_role",
            "user_id",
            "network_id",
            "role",
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        ),
    )
