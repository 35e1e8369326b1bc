"""Demonstration data: an Uddevalla-like network, built through the real operations.

Everything goes through the same operations a coordinator uses, so the demo
network has a complete audit chain. Names are invented; organisation numbers
are made up but valid (Luhn check digit, legal-person range).
"""

from __future__ import annotations

import sqlalchemy as sa

from grants.auth.operations import set_password
from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.members import operations as members
from grants.members.models import OrganisationKind, RoleKind
from grants.networks import operations as networks
from grants.networks.models import Network, TieRule

DEMO_PASSWORD = "Tillsammans-2026!"  # noqa: S105  (demo data only; refused in production)
DEMO_SLUG = "uddevalla"

ORGANISATIONS = [
    # name, orgnr, kind, contact name, contact e-mail
    (
        "Språkvänner i Uddevalla",
        "802001-2343",
        OrganisationKind.ASSOCIATION,
        "Ahmad Rahimi",
        "ahmad@sprakvanner.example.se",
    ),
    (
        "Studieförbundet Bildning Fyrbodal",
        "802412-3450",
        OrganisationKind.ASSOCIATION,
        "Eva Berg",
        "eva.berg@bildning.example.se",
    ),
    (
        "Svenska kyrkan i Uddevalla",
        "252003-8767",
        OrganisationKind.ASSOCIATION,
        "Maria Lund",
        "maria.lund@kyrkan.example.se",
    ),
    (
        "IK Uddevalla Fotboll",
        "802004-4312",
        OrganisationKind.ASSOCIATION,
        "Erik Johansson",
        "erik@ikfotboll.example.se",
    ),
    (
        "Röda Korset Uddevallakretsen",
        "802478-9128",
        OrganisationKind.ASSOCIATION,
        "Lena Ström",
        "lena.strom@rodakorset.example.se",
    ),
    (
        "Somaliska föreningen i Uddevalla",
        "802501-2348",
        OrganisationKind.ASSOCIATION,
        "Amina Hassan",
        "amina@somaliska.example.se",
    ),
    (
        "Afghanska kulturföreningen Uddevalla",
        "802519-8766",
        OrganisationKind.ASSOCIATION,
        "Farid Ahmadi",
        "farid@afghanska.example.se",
    ),
    (
        "Rädda Barnen Uddevalla",
        "802527-4310",
        OrganisationKind.ASSOCIATION,
        "Maria Lund",
        "maria.lund@kyrkan.example.se",
    ),
    (
        "Läxhjälpen Västra Götaland",
        "802430-7657",
        OrganisationKind.ASSOCIATION,
        "Johan Ek",
        "johan@laxhjalpen.example.se",
    ),
    (
        "Internationella kvinnoföreningen Ålsäter",
        "802513-5792",
        OrganisationKind.ASSOCIATION,
        "Nour Al-Sayed",
        "nour@kvinnoforeningen.example.se",
    ),
    (
        "Föreningsnätverket Bohuslän",
        "802466-5542",
        OrganisationKind.CIVIL_SOCIETY_NETWORK,
        "Per Olsson",
        "per@foreningsnatverket.example.se",
    ),
    (
        "Arbetsmarknadsavdelningen/Integration, Uddevalla kommun",
        "212000-1439",
        OrganisationKind.MUNICIPAL_UNIT,
        "Omar Khalil",
        "omar.khalil@uddevalla.example.se",
    ),
]

PENDING_JOIN = (
    "Syriska kulturföreningen i Uddevalla",
    "802493-3825",
    OrganisationKind.ASSOCIATION,
    "Rami Haddad",
    "rami@syriska.example.se",
)

CRITERIA = [
    "Insatsen bidrar till att nyanlända lär sig svenska.",
    "Insatsen bidrar till att nyanlända får ett socialt nätverk.",
    "Insatsen ger kontakt med förenings- och kulturlivet.",
    "Insatsen förebygger och motverkar främlingsfientlighet, rasism och diskriminering.",
]

ABOUT = """Integrationsnätverket i Uddevalla samlar föreningar, organisationer och kommunala \
verksamheter som arbetar för integration, med fokus på civilsamhällets aktörer.

Nätverket träffas 6–8 gånger under projektperioden, med roterande värdskap. Kommunens \
samordnare sammankallar. Medlemmarna kan söka pengar ur nätverkets pott till aktiviteter \
för integration, och nätverket beslutar om dem på sina möten."""

RULES = """## Pengar att söka och bestämma om

- Alla organisationer **med organisationsnummer** som är med i integrationsnätverket kan \
(men måste inte) söka. Även kommunala verksamheter kan söka, men **endast tillsammans med** \
en organisation eller ett nätverk från ideell sektor. Nätverket som helhet kan också söka.
- Den eller de som vill söka ska **föranmäla** det, antingen på en nätverksträff eller via \
e-post mellan två nätverksträffar, med ett kortfattat skriftligt förslag.
- Verksamheten ska bidra till integration i Uddevalla kommun utifrån aktuella behov. Till \
exempel insatser som bidrar till att nyanlända lär sig svenska, får ett socialt nätverk, \
kontakt med förenings- och kulturlivet. Verksamhet som bidrar till att förebygga och \
motverka främlingsfientlighet, rasism och diskriminering. Nätverket kan ta fram fler egna \
kriterier om inriktning, omfattning och liknande.
- **Beslut tas på sittande nätverksmöte genom majoritetsbeslut.** En organisation röstar \
inte om sitt eget förslag (jäv).
- Fullständig information delas ut och gås igenom vid första nätverksträffen.

## Pengarna

Pengarna kommer från Hälsopolitiska rådet och täcker den sökbara potten samt nätverkets \
träffar och fortbildning. Den som får pengar redovisar vad de användes till."""


def _demo_bankgiro(membership, number: int, coordinator) -> None:
    """A made-up bankgiro with a right check digit, so the demo's grants can be paid."""
    from stdnum import luhn

    from grants.funds.destinations import set_payout_details

    body = f"{5050100 + 37 * number}"
    set_payout_details(
        membership, method="bankgiro", number=body + luhn.calc_check_digit(body), actor=coordinator
    )


def seed_small(*, if_empty: bool = False) -> list[tuple[str, str, str]] | None:
    """Create the demo network; return (role, e-mail, password) for each login."""
    if if_empty and db.session.scalar(sa.select(sa.func.count(Network.id))):
        return None
    mail_before = db.session.scalar(sa.select(sa.func.max(OutboxMail.id))) or 0
    network = networks.create_network(
        slug=DEMO_SLUG,
        name="Integrationsnätverket i Uddevalla",
        municipality="Uddevalla",
        project_name="Tillsammans för inkludering",
        about=ABOUT,
        contact_email="integration@uddevalla.example.se",
        public=True,
        quorum_min_orgs=5,
        tie_rule=TieRule.REJECTED,
        max_grant_ore=2_500_000,
    )
    coordinator_role = members.grant_role(
        network,
        email="samordnare@uddevalla.example.se",
        name="Sara Nilsson",
        role=RoleKind.COORDINATOR,
        organisation=None,
        actor=None,
    )
    coordinator = coordinator_role.user
    members.grant_role(
        network,
        email="granskare@uddevalla.example.se",
        name="Karin Ek",
        role=RoleKind.AUDITOR,
        organisation=None,
        actor=coordinator,
    )
    # Payouts are attested by someone other than who registered them: without an
    # attestant the demo could not pay anything out.
    members.grant_role(
        network,
        email="attestant@uddevalla.example.se",
        name="Bo Lindqvist",
        role=RoleKind.ATTESTANT,
        organisation=None,
        actor=coordinator,
    )
    for text in CRITERIA:
        networks.add_criterion(network, text, actor=coordinator)
    rules = networks.draft_rules(
        network,
        title="Regler för Tillsammans för inkludering",
        body=RULES,
        change_note="Första versionen, från informationsmötet.",
        actor=coordinator,
    )
    networks.publish_rules(rules, actor=coordinator)
    for number, (name, orgnr, kind, contact, email) in enumerate(ORGANISATIONS):
        details = members.OrganisationDetails(name, orgnr, kind, contact, email)
        membership = members.add_member_directly(
            network, details, wants_invitations=True, actor=coordinator
        )
        _demo_bankgiro(membership, number, coordinator)
    name, orgnr, kind, contact, email = PENDING_JOIN
    members.submit_join_request(
        network,
        members.OrganisationDetails(name, orgnr, kind, contact, email),
        wants_invitations=True,
        message="Vi har språkcafé varje torsdag och vill vara med.",
    )
    _seed_pot_meeting_and_proposals(network, coordinator)
    people = {role.user for role in network_roles(network)}
    for user in sorted(people, key=lambda u: u.email):
        if not user.has_password:
            set_password(user, DEMO_PASSWORD, confirmation=DEMO_PASSWORD, actor=None)
    # The demo people are invented: their invitation mails would only be noise.
    db.session.execute(sa.delete(OutboxMail).where(OutboxMail.id > mail_before))
    return demo_logins()


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, e-mail, password) of the demo network's people; empty without it."""
    network = db.session.scalar(sa.select(Network).where(Network.slug == DEMO_SLUG))
    if network is None:
        return []
    logins = []
    for role in sorted(network_roles(network), key=lambda r: (r.role.value, r.user.email)):
        what = role.role.value + (f" ({role.organisation.name})" if role.organisation else "")
        logins.append((what, role.user.email, DEMO_PASSWORD))
    return logins


def network_roles(network: Network):
    from grants.members.models import Role

    return db.session.scalars(sa.select(Role).where(Role.network_id == network.id)).all()


def _seed_pot_meeting_and_proposals(network: Network, coordinator) -> None:
    """A running funding period, the next meeting, and a few proposals queued for it."""
    from datetime import date, datetime, time, timedelta

    from grants.core.time import STOCKHOLM, to_local, utcnow
    from grants.funds.models import BudgetLineKind
    from grants.funds.operations import create_period
    from grants.meetings.operations import plan_meeting
    from grants.proposals.models import ProposalSource
    from grants.proposals.operations import Arrival, ProposalInput, register_proposal

    year = to_local(utcnow()).year
    create_period(
        network,
        funder="Hälsopolitiska rådet",
        starts_on=date(year, 1, 1),
        ends_on=date(year + 1, 6, 30),
        note="Projektperioden, 1,5 år.",
        budgets={
            BudgetLineKind.GRANTS: 15_000_000,
            BudgetLineKind.MEETINGS: 3_000_000,
            BudgetLineKind.TRAINING: 2_000_000,
        },
        actor=coordinator,
    )
    day = to_local(utcnow()).date() + timedelta(days=24)
    host = members.find_organisation_by_orgnr("802412-3450")
    plan_meeting(
        network,
        starts_at=datetime.combine(day, time(16, 30), tzinfo=STOCKHOLM),
        ends_at=datetime.combine(day, time(19, 0), tzinfo=STOCKHOLM),
        place="Junogatan 2, våning 6",
        host=host,
        theme="",
        actor=coordinator,
    )
    criteria = network.active_criteria
    start = day + timedelta(days=14)
    examples = [
        (
            "802001-2343",
            "Språkcafé varje torsdag",
            "Vi träffas varje torsdag kl 17–19 på biblioteket och pratar svenska över fika. "
            "För nyanlända vuxna; volontärer leder samtalen.",
            [criteria[0], criteria[1]],
            [("Fika för 30 träffar", 600_000), ("Material", 150_000)],
        ),
        (
            "802004-4312",
            "Fotboll för alla – prova på",
            "Prova-på-träningar för barn och unga som är nya i Uddevalla, med föräldrafika.",
            [criteria[1], criteria[2]],
            [("Planhyra", 400_000), ("Bollar och västar", 250_000)],
        ),
    ]
    for orgnr, title, summary, chosen, rows in examples:
        applicant = members.find_organisation_by_orgnr(orgnr)
        representative = next(
            role.user for role in network_roles(network) if role.organisation_id == applicant.id
        )
        register_proposal(
            network,
            ProposalInput(
                applicant=applicant,
                title=title,
                summary=summary,
                criteria=chosen,
                planned_start=start,
                planned_end=start + timedelta(days=120),
                requested_ore=sum(amount for _, amount in rows),
                budget_rows=rows,
                contact_name=representative.name,
                contact_email=representative.email,
            ),
            actor=representative,
            by_coordinator=False,
        )
    unit = members.find_organisation_by_orgnr("212000-1439")
    partner = members.find_organisation_by_orgnr("802513-5792")
    register_proposal(
        network,
        ProposalInput(
            applicant=unit,
            co_applicants=[partner],
            title="Föräldraträffar om skolan",
            summary="Kvällsträffar med tolk där föräldrar som är nya i Sverige får veta hur "
            "skolan fungerar, tillsammans med kvinnoföreningen.",
            criteria=[criteria[1], criteria[3]],
            planned_start=start,
            planned_end=start + timedelta(days=60),
            requested_ore=800_000,
            budget_rows=[("Tolk", 500_000), ("Lokal och fika", 300_000)],
            contact_name="Omar Khalil",
            contact_email="omar.khalil@uddevalla.example.se",
        ),
        actor=coordinator,
        by_coordinator=True,
        arrival=Arrival(
            source=ProposalSource.EMAIL,
            received_at=utcnow() - timedelta(days=2),
            email_text="Hej Sara! Vi vill tillsammans med kvinnoföreningen söka 8 000 kr till "
            "föräldraträffar om skolan. Budget: tolk 5 000, lokal och fika 3 000. "
            "Hälsningar Omar",
        ),
    )
