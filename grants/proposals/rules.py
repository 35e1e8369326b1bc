"""Who may apply and for how much: pure rules, no database (tested with hypothesis).

The rules text: every member organisation with an organisation number may
apply; a municipal unit only together with an organisation or network from
the non-profit sector; the network as a whole may apply too. The amount is
above zero, at most the network's maximum per grant and at most what is left
in the pot, and the budget adds up to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from grants.core.money import format_amount
from grants.members.models import OrganisationKind

CIVIL_SOCIETY_KINDS = (OrganisationKind.ASSOCIATION, OrganisationKind.CIVIL_SOCIETY_NETWORK)


@dataclass(frozen=True)
class Party:
    """An applicant or co-applicant as the rules see it."""

    id: int
    kind: OrganisationKind
    active_member: bool
    has_orgnr: bool = True


@dataclass(frozen=True)
class Refusal:
    field: str | None
    message: str


def eligibility_refusals(
    applicant: Party, co_applicants: Sequence[Party], *, registered_by_coordinator: bool
) -> list[Refusal]:
    """Why ``applicant`` with ``co_applicants`` may not apply; empty when they may."""
    refusals = []
    if applicant.kind == OrganisationKind.NETWORK_ITSELF:
        if not registered_by_coordinator:
            message = _("En ansökan från nätverket självt registreras av samordnaren.")
            refusals.append(Refusal("applicant", message))
    elif not applicant.active_member:
        message = _("Organisationen är inte medlem i nätverket just nu och kan inte söka.")
        refusals.append(Refusal("applicant", message))
    elif not applicant.has_orgnr:
        message = _("Bara organisationer med organisationsnummer kan söka.")
        refusals.append(Refusal("applicant", message))
    if any(party.id == applicant.id for party in co_applicants):
        message = _("Den sökande organisationen kan inte också vara medsökande.")
        refusals.append(Refusal("co_applicants", message))
    if any(not party.active_member for party in co_applicants):
        message = _("Alla medsökande måste vara medlemmar i nätverket.")
        refusals.append(Refusal("co_applicants", message))
    has_civil_society_partner = any(
        party.kind in CIVIL_SOCIETY_KINDS and party.active_member for party in co_applicants
    )
    if applicant.kind == OrganisationKind.MUNICIPAL_UNIT and not has_civil_society_partner:
        message = _(
            "En kommunal verksamhet kan bara söka tillsammans med en förening eller ett "
            "nätverk i ideell sektor. Välj minst en sådan medsökande."
        )
        refusals.append(Refusal("co_applicants", message))
    return refusals


def amount_refusals(
    requested_ore: int,
    *,
    budget_rows_ore: Sequence[int],
    max_grant_ore: int | None,
    left_ore: int,
    locale: str = "sv",
) -> list[Refusal]:
    """Why ``requested_ore`` cannot be asked for; empty when it can."""
    refusals = []
    if requested_ore <= 0:
        refusals.append(Refusal("requested", _("Beloppet måste vara större än noll.")))
    if max_grant_ore is not None and requested_ore > max_grant_ore:
        message = _(
            "Nätverket beviljar högst %(max)s per ansökan.",
            max=format_amount(max_grant_ore, locale),
        )
        refusals.append(Refusal("requested", message))
    if requested_ore > left_ore:
        message = _(
            "Det finns bara %(left)s kvar att söka i potten.", left=format_amount(left_ore, locale)
        )
        refusals.append(Refusal("requested", message))
    if not budget_rows_ore:
        message = _("Skriv minst en rad i budgeten: vad pengarna ska gå till och hur mycket.")
        refusals.append(Refusal("budget", message))
    elif sum(budget_rows_ore) != requested_ore:
        message = _(
            "Budgeten blir %(total)s men det sökta beloppet är %(requested)s. "
            "Summan av raderna ska vara lika med beloppet.",
            total=format_amount(sum(budget_rows_ore), locale),
            requested=format_amount(requested_ore, locale),
        )
        refusals.append(Refusal("budget", message))
    return refusals
