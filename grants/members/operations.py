"""Joining, memberships and roles. Operations flush, audit and queue mail; never commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from grants.auth.tokens import invitation_link
from grants.core import audit
from grants.core.errors import DomainError
from grants.core.orgnr import normalise_orgnr
from grants.core.outbox import mail_person, queue_mail
from grants.core.time import utcnow
from grants.core.urls import external_url
from grants.extensions import db
from grants.members.models import (
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    RoleKind,
    User,
)
from grants.networks.models import Network

JOINABLE_KINDS = (
    OrganisationKind.ASSOCIATION,
    OrganisationKind.CIVIL_SOCIETY_NETWORK,
    OrganisationKind.MUNICIPAL_UNIT,
)


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    orgnr: str
    kind: OrganisationKind
    contact_name: str
    contact_email: str


def find_organisation_by_orgnr(orgnr: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.orgnr == orgnr))


def membership_of(network: Network, organisation: Organisation) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.network_id == network.id, Membership.organisation_id == organisation.id
        )
    )


def coordinators(network: Network) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Role, Role.user_id == User.id)
            .where(Role.network_id == network.id, Role.role == RoleKind.COORDINATOR)
            .order_by(User.id)
        )
    )


# ---- join requests --------------------------------------------------------------------


def submit_join_request(
    network: Network,
    details: OrganisationDetails,
    *,
    wants_invitations: bool,
    message: str = "",
    locale: str = "sv",
) -> JoinRequest:
    """An organisation asks to join. Creates a request for the coordinator, not a member."""
    orgnr = normalise_orgnr(details.orgnr)
    if details.kind not in JOINABLE_KINDS:
        raise DomainError(_l("Välj vilken sorts organisation det är."), field="kind")
    existing = find_organisation_by_orgnr(orgnr)
    if existing is not None:
        membership = membership_of(network, existing)
        if membership is not None and membership.active:
            raise DomainError(
                _l(
                    "%(name)s är redan medlem i nätverket. Vill du bli representant för "
                    "organisationen? Kontakta samordnaren.",
                    name=existing.name,
                ),
                field="orgnr",
            )
    pending = db.session.scalar(
        sa.select(JoinRequest.id).where(
            JoinRequest.network_id == network.id,
            JoinRequest.orgnr == orgnr,
            JoinRequest.status == JoinRequestStatus.PENDING,
        )
    )
    if pending:
        raise DomainError(
            _l(
                "Det finns redan en ansökan om medlemskap för det här organisationsnumret. "
                "Samordnaren hör av sig."
            ),
            field="orgnr",
        )
    request = JoinRequest(
        network=network,
        organisation_name=details.name,
        orgnr=orgnr,
        kind=details.kind,
        contact_name=details.contact_name,
        contact_email=details.contact_email,
        wants_invitations=wants_invitations,
        message=message,
        locale=locale,
        organisation=existing,
    )
    db.session.add(request)
    audit.record(
        network,
        "join_request.submitted",
        request,
        actor=None,
        data={
            "orgnr": orgnr,
            "organisation": details.name,
            "kind": details.kind.value,
            "existing_organisation_id": existing.id if existing else None,
        },
    )
    queue_mail(
        "join_received",
        to=details.contact_email,
        to_name=details.contact_name,
        locale=locale,
        network=network,
        request=request,
    )
    link = external_url("members_admin.join_request", slug=network.slug, request_id=request.id)
    for coordinator in coordinators(network):
        mail_person("join_request_new", coordinator, network=network, request=request, link=link)
    return request


def approve_join_request(request: JoinRequest, *, actor: User) -> Membership:
    """Make the organisation a member and invite its contact person as representative."""
    if request.status != JoinRequestStatus.PENDING:
        raise DomainError(_l("Ansökan är redan behandlad."))
    details = OrganisationDetails(
        name=request.organisation_name,
        orgnr=request.orgnr,
        kind=request.kind,
        contact_name=request.contact_name,
        contact_email=request.contact_email,
    )
    membership = admit_organisation(
        request.network,
        details,
        wants_invitations=request.wants_invitations,
        locale=request.locale,
        actor=actor,
    )
    request.status = JoinRequestStatus.APPROVED
    request.decided_at = utcnow()
    request.decided_by = actor
    request.organisation = membership.organisation
    audit.record(
        request.network,
        "join_request.approved",
        request,
        actor=actor,
        data={"organisation_id": membership.organisation_id},
    )
    return membership


def reject_join_request(request: JoinRequest, *, reason: str, actor: User) -> None:
    if request.status != JoinRequestStatus.PENDING:
        raise DomainError(_l("Ansökan är redan behandlad."))
    request.status = JoinRequestStatus.REJECTED
    request.decided_at = utcnow()
    request.decided_by = actor
    request.decision_note = reason
    audit.record(
        request.network,
        "join_request.rejected",
        request,
        actor=actor,
        data={"orgnr": request.orgnr},
    )
    queue_mail(
        "join_rejected",
        to=request.contact_email,
        to_name=request.contact_name,
        locale=request.locale,
        network=request.network,
        request=request,
        reason=reason,
    )


def admit_organisation(
    network: Network,
    details: OrganisationDetails,
    *,
    wants_invitations: bool,
    locale: str,
    actor: User,
) -> Membership:
    """Membership for the organisation (found by number, or new), and its contact invited.

    Used when a join request is approved and when the coordinator adds a member
    directly (for example one that signed up on paper at a meeting).
    """
    orgnr = normalise_orgnr(details.orgnr)
    organisation = find_organisation_by_orgnr(orgnr)
    if organisation is None:
        organisation = Organisation(
            name=details.name,
            orgnr=orgnr,
            kind=details.kind,
            contact_name=details.contact_name,
            contact_email=details.contact_email,
        )
        db.session.add(organisation)
        audit.record(
            network,
            "organisation.created",
            organisation,
            actor=actor,
            data={"orgnr": orgnr, "name": details.name, "kind": details.kind.value},
        )
    membership = membership_of(network, organisation)
    if membership is None:
        membership = Membership(
            network=network, organisation=organisation, wants_invitations=wants_invitations
        )
        db.session.add(membership)
        action = "membership.created"
    elif membership.active:
        raise DomainError(
            _l("%(name)s är redan medlem i nätverket.", name=organisation.name), field="orgnr"
        )
    else:
        membership.active = True
        membership.ended_at = None
        membership.joined_at = utcnow()
        membership.wants_invitations = wants_invitations
        action = "membership.resumed"
    audit.record(
        network,
        action,
        membership,
        actor=actor,
        data={"organisation_id": organisation.id, "wants_invitations": wants_invitations},
    )
    grant_role(
        network,
        email=details.contact_email,
        name=details.contact_name,
        role=RoleKind.REPRESENTATIVE,
        organisation=organisation,
        locale=locale,
        actor=actor,
    )
    return membership


def add_member_directly(
    network: Network, details: OrganisationDetails, *, wants_invitations: bool, actor: User
) -> Membership:
    if details.kind not in JOINABLE_KINDS:
        raise DomainError(_l("Välj vilken sorts organisation det är."), field="kind")
    return admit_organisation(
        network, details, wants_invitations=wants_invitations, locale="sv", actor=actor
    )


def find_network_itself(network: Network) -> Organisation | None:
    return db.session.scalar(
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(
            Membership.network_id == network.id,
            Organisation.kind == OrganisationKind.NETWORK_ITSELF,
        )
    )


def network_itself(network: Network) -> Organisation:
    """The network as a whole, as an applicant (rules: "nätverket som helhet kan söka").

    It has no organisation number, gets no invitations, and is not listed among
    the members on the public page.
    """
    organisation = find_network_itself(network)
    if organisation is None:
        organisation = Organisation(
            name=network.name, orgnr=None, kind=OrganisationKind.NETWORK_ITSELF
        )
        db.session.add(organisation)
        db.session.add(
            Membership(network=network, organisation=organisation, wants_invitations=False)
        )
        audit.record(
            network,
            "organisation.created",
            organisation,
            actor=None,
            data={"name": network.name, "kind": OrganisationKind.NETWORK_ITSELF.value},
        )
    return organisation


# ---- organisations and memberships ----------------------------------------------------


def update_organisation(
    organisation: Organisation,
    network: Network,
    *,
    actor: User,
    name: str,
    orgnr: str,
    kind: OrganisationKind,
    contact_name: str,
    contact_email: str,
) -> bool:
    """A coordinator's correction of what the organisation shares between networks
    (``grants.members.contact`` says who may change what). Returns ``True`` when a new
    contact waits for the old address to confirm it."""
    from grants.members import contact

    orgnr = normalise_orgnr(orgnr)
    other = find_organisation_by_orgnr(orgnr)
    if other is not None and other.id != organisation.id:
        raise DomainError(
            _l("Organisationsnumret tillhör redan %(name)s.", name=other.name), field="orgnr"
        )
    values = {"name": name, "orgnr": orgnr, "kind": kind}
    changed = [key for key, value in values.items() if getattr(organisation, key) != value]
    for key in changed:
        setattr(organisation, key, values[key])
    if changed:
        contact.record_everywhere(
            organisation,
            network,
            "organisation.changed",
            actor=actor,
            data={key: str(values[key]) for key in changed},
        )
        contact.tell_other_networks(organisation, network, changed=changed)
    return contact.change_contact(
        organisation, network, name=contact_name, email=contact_email, actor=actor
    )


def update_member(
    membership: Membership, *, actor: User, wants_invitations: bool, **organisation_fields
) -> None:
    """The coordinator's edit of a member: the organisation's details and its membership.
    Returns ``True`` when a new contact waits for the old address to confirm it."""
    waits = update_organisation(
        membership.organisation, membership.network, actor=actor, **organisation_fields
    )
    set_wants_invitations(membership, wants_invitations, actor=actor)
    return waits


def set_wants_invitations(membership: Membership, wants: bool, *, actor: User) -> None:
    if membership.wants_invitations == wants:
        return
    membership.wants_invitations = wants
    audit.record(
        membership.network,
        "membership.invitations_changed",
        membership,
        actor=actor,
        data={"wants_invitations": wants},
    )


def end_membership(membership: Membership, *, actor: User) -> None:
    """The organisation leaves; its representatives lose their role in this network."""
    if not membership.active:
        raise DomainError(_l("Medlemskapet är redan avslutat."))
    membership.active = False
    membership.ended_at = utcnow()
    roles = db.session.scalars(
        sa.select(Role).where(
            Role.network_id == membership.network_id,
            Role.organisation_id == membership.organisation_id,
        )
    ).all()
    for role in roles:
        _remove_role(role, actor=actor)
    audit.record(
        membership.network,
        "membership.ended",
        membership,
        actor=actor,
        data={"organisation_id": membership.organisation_id, "representatives_removed": len(roles)},
    )


def resume_membership(membership: Membership, *, actor: User) -> None:
    if membership.active:
        raise DomainError(_l("Organisationen är redan medlem."))
    membership.active = True
    membership.ended_at = None
    membership.joined_at = utcnow()
    audit.record(
        membership.network,
        "membership.resumed",
        membership,
        actor=actor,
        data={"organisation_id": membership.organisation_id},
    )


# ---- people and roles -----------------------------------------------------------------


def find_or_create_user(email: str, name: str, *, locale: str = "sv", actor=None) -> User:
    email = email.strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        if not name:
            raise DomainError(_l("Skriv personens namn."), field="name")
        user = User(email=email, name=name, locale=locale)
        db.session.add(user)
        audit.record(None, "user.created", user, actor=actor)
    return user


def grant_role(
    network: Network,
    *,
    email: str,
    name: str,
    role: RoleKind,
    organisation: Organisation | None,
    actor,
    locale: str = "sv",
) -> Role:
    """Give a person a role in the network, inviting them if they have no password yet."""
    if role == RoleKind.REPRESENTATIVE:
        if organisation is None:
            raise DomainError(
                _l("Välj vilken organisation personen representerar."), field="organisation"
            )
        membership = membership_of(network, organisation)
        if membership is None or not membership.active:
            raise DomainError(
                _l("Bara medlemsorganisationer kan ha representanter."), field="organisation"
            )
    else:
        organisation = None
    user = find_or_create_user(email, name, locale=locale, actor=actor)
    same_organisation = (
        Role.organisation_id == organisation.id if organisation else Role.organisation_id.is_(None)
    )
    duplicate = db.session.scalar(
        sa.select(Role.id).where(
            Role.user_id == user.id,
            Role.network_id == network.id,
            Role.role == role,
            same_organisation,
        )
    )
    if duplicate:
        raise DomainError(_l("Personen har redan den rollen."), field="role")
    new_role = Role(user=user, network=network, role=role, organisation=organisation)
    db.session.add(new_role)
    audit.record(
        network,
        "role.granted",
        new_role,
        actor=actor,
        data={
            "user_id": user.id,
            "role": role.value,
            "organisation_id": organisation.id if organisation else None,
        },
    )
    _notify_new_role(user, new_role)
    return new_role


def _notify_new_role(user: User, role: Role) -> None:
    network = role.network
    if user.has_password:
        link = external_url("networks.home", slug=network.slug)
        mail_person("role_granted", user, network=network, role=role, link=link)
    else:
        mail_person("invitation", user, network=network, role=role, link=invitation_link(user))


def revoke_role(role: Role, *, actor: User) -> None:
    if role.role == RoleKind.COORDINATOR:
        remaining = db.session.scalar(
            sa.select(sa.func.count(Role.id)).where(
                Role.network_id == role.network_id, Role.role == RoleKind.COORDINATOR
            )
        )
        if remaining <= 1:
            raise DomainError(
                _l("Nätverket måste ha minst en samordnare. Ge någon annan rollen först.")
            )
    _remove_role(role, actor=actor)


def _remove_role(role: Role, *, actor: User) -> None:
    audit.record(
        role.network,
        "role.revoked",
        role,
        actor=actor,
        data={
            "user_id": role.user_id,
            "role": role.role.value,
            "organisation_id": role.organisation_id,
        },
    )
    db.session.delete(role)
    db.session.flush()
