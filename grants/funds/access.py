"""Who may open a grant: one rule for the grant's pages and for every link to them."""

from __future__ import annotations

from flask_babel import gettext as _

from grants.core.auth import Permission
from grants.funds.models import Grant
from grants.members.models import RoleKind


def may_see(user, grant: Grant) -> Permission:
    """The coordinator, the auditor and attestants see every grant; a grantee its own."""
    network = grant.network
    if user.has_role(network, RoleKind.COORDINATOR, RoleKind.AUDITOR, RoleKind.ATTESTANT):
        return Permission(True)
    if any(
        org.id == grant.proposal.applicant_id for org in user.represented_organisations(network)
    ):
        return Permission(True)
    return Permission(
        False,
        _("Bara den organisation som fått bidraget, samordnaren och granskarna ser bidraget."),
    )
