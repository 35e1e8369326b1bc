"""Where a network's money goes: the payout details it keeps for each member.

Payout details belong to a membership, not to the organisation: an
organisation that is a member of two networks is one row, and each network
decides and attests where its own money goes. Only that network's coordinator
and the organisation's representatives *in that network* change them, and the
change lands in that network's chain.

A payout copies the destination when it is registered; attestation attests
that destination and nothing changes it afterwards. When the details change
while payouts are still unpaid, those payouts keep paying the account they were
registered (and perhaps attested) with: the contact person and the network's
coordinators are mailed, and the grant page and the trace say plainly that
the payout goes to the old account and must be cancelled and registered anew
to pay the new one.
"""

from __future__ import annotations

import sqlalchemy as sa

from grants.core import audit
from grants.core.outbox import mail_person, queue_mail
from grants.core.payment import PayoutDetails, PayoutMethod, validate_payout_details
from grants.core.time import utcnow
from grants.core.urls import external_url
from grants.extensions import db
from grants.funds.models import Grant, Payout, PayoutStatus
from grants.members.models import Membership, User
from grants.members.operations import coordinators

UNPAID = (PayoutStatus.REGISTERED, PayoutStatus.ATTESTED)


def unpaid_payouts_elsewhere(membership: Membership, details: PayoutDetails) -> list[Payout]:
    """The network's unpaid payouts to this organisation registered with another account."""
    from grants.proposals.models import Proposal

    payouts = db.session.scalars(
        sa.select(Payout)
        .join(Grant, Grant.id == Payout.grant_id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .where(
            Payout.network_id == membership.network_id,
            Proposal.applicant_id == membership.organisation_id,
            Payout.status.in_(UNPAID),
        )
        .order_by(Payout.id)
    )
    # (A payout with no destination at all cannot be attested or paid: it is no risk.)
    return [p for p in payouts if p.destination is not None and p.destination != details]


def set_payout_details(
    membership: Membership, *, method: str, number: str, actor: User
) -> list[Payout]:
    """New payout details for this network, validated; returns the unpaid payouts that
    still go to the old account. The contact person and the coordinators are mailed."""
    details = validate_payout_details(PayoutMethod(method), number)
    # A payout being registered at this moment waits, so it is either in the mail below
    # or registered with the new account (register_payout takes the same lock).
    db.session.execute(
        sa.select(Membership.id).where(Membership.id == membership.id).with_for_update()
    )
    db.session.refresh(membership)
    previous = membership.payout_details
    if previous == details:
        return []
    membership.payout_method = details.method.value
    membership.payout_number = details.number
    membership.payout_bank = details.bank
    membership.payout_changed_at = utcnow()
    db.session.flush()
    outdated = unpaid_payouts_elsewhere(membership, details)
    audit.record(
        membership.network,
        "organisation.payout_details_changed",
        membership.organisation,
        actor=actor,
        data={
            "membership_id": membership.id,
            "method": details.method.value,
            "number_end": details.masked()[-4:],
            "had_details": previous is not None,
            "unpaid_payouts_to_previous": [payout.id for payout in outdated],
        },
    )
    _tell_everyone_concerned(membership, details, outdated, actor=actor)
    return outdated


def _tell_everyone_concerned(
    membership: Membership, details: PayoutDetails, outdated: list[Payout], *, actor: User
) -> None:
    """A changed account is a common fraud route: the organisation's contact person and
    every coordinator of the network hear of it, with the payouts it leaves behind."""
    organisation, network = membership.organisation, membership.network
    context = {
        "organisation": organisation,
        "details": details,
        "changed_by": actor,
        "outdated": outdated,
        "link": external_url(
            "members.organisation_page", slug=network.slug, organisation_id=organisation.id
        ),
    }
    told: set[str] = set()
    if organisation.contact_email:
        queue_mail(
            "payout_details_changed",
            to=organisation.contact_email,
            to_name=organisation.contact_name,
            locale="sv",
            network=network,
            **context,
        )
        told.add(organisation.contact_email.lower())
    for coordinator in coordinators(network):
        if coordinator.email.lower() not in told:
            told.add(coordinator.email.lower())
            mail_person("payout_details_changed_staff", coordinator, network=network, **context)
