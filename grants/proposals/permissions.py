"""Who may do what with proposals (roles are checked here, rules in operations)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from grants.core.auth import Permission
from grants.members.models import Organisation, RoleKind
from grants.networks.models import Network
from grants.proposals.models import Proposal


def is_coordinator(user, network: Network) -> bool:
    return user.is_authenticated and user.has_role(network, RoleKind.COORDINATOR)


def represents(user, organisation: Organisation, network: Network) -> bool:
    return any(org.id == organisation.id for org in user.represented_organisations(network))


def may_submit_for(user, network: Network, organisation: Organisation) -> Permission:
    if is_coordinator(user, network) or represents(user, organisation, network):
        return Permission(True)
    return Permission(
        False, str(_l("Du kan bara lämna förslag för organisationer du representerar."))
    )


def may_change(user, proposal: Proposal) -> Permission:
    """Edit or withdraw: the coordinator, or a representative of the applicant."""
    network = proposal.network
    if is_coordinator(user, network) or represents(user, proposal.applicant, network):
        return Permission(True)
    return Permission(
        False,
        str(
            _l(
                "Bara den sökande organisationens representanter och "
                "samordnaren kan ändra förslaget."
            )
        ),
    )
