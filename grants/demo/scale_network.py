"""One network of the regional demo: its people, members, periods and meeting plan.

``build_network`` queues every row of one network on the loader: the setting-up
(as ``networks`` and ``members`` operations would record it), then the meetings
and proposals (``scale_meetings``) and the money after the decisions
(``scale_money``). Times run from the network's start about two and a half
years ago to the seed's "now"; the meetings of the current period's end and of the
next period lie ahead and are only planned.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from stdnum import luhn

from grants.core.payment import PayoutDetails, PayoutMethod, validate_payout_details
from grants.demo import CRITERIA, RULES
from grants.demo.scale import Clock, Loader, OrgnrAllocator, Scale
from grants.demo.scale_names import (
    ORGANISATION_TEMPLATES,
    REGIONAL_ORGANISATIONS,
    email_for,
    network_identity,
    person_name,
)
from grants.funds.models import BudgetLineKind
from grants.members.models import OrganisationKind, RoleKind
from grants.networks.models import DEFAULT_AGENDA_TEMPLATE, TieRule

MEETING_INTERVAL = 42  # days between network meetings
MAX_GRANT_ORE = 2_500_000
REPORT_DUE_DAYS = 60
FUNDERS = ["Länsstyrelsen Västra Götaland", "Västra Götalandsregionen", "Hälsopolitiska rådet"]


@dataclass
class Person:
    id: int
    name: str
    email: str


@dataclass
class Org:
    id: int
    name: str
    kind: OrganisationKind
    reps: list[Person] = field(default_factory=list)
    wants_invitations: bool = True
    destination: PayoutDetails | None = None  # where this network pays it


@dataclass
class Period:
    id: int
    starts_on: date
    ends_on: date
    funder: str
    created_at: datetime
    budgets: dict[BudgetLineKind, int] = field(default_factory=dict)
    committed: int = 0  # on the grants line, as the decisions take it
    spent: dict[BudgetLineKind, int] = field(default_factory=dict)


@dataclass
class MeetingPlan:
    id: int
    number: int
    period: Period
    starts_at: datetime
    ends_at: datetime
    invited_at: datetime
    planned_at: datetime
    host: Org
    past: bool


@dataclass
class NetworkPlan:
    index: int
    id: int
    slug: str
    name: str
    municipality: str
    tie_rule: TieRule
    quorum: int
    created_at: datetime
    current_start: date  # the first day of the period covering "now"
    coordinators: list[Person] = field(default_factory=list)
    auditor: Person | None = None
    attestant: Person | None = None
    orgs: list[Org] = field(default_factory=list)
    criteria: list[tuple[int, str]] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    meetings: list[MeetingPlan] = field(default_factory=list)
    vouchers: int = 0  # the network's accounting references (verifikationsnummer)

    @property
    def coordinator(self) -> Person:
        return self.coordinators[0]

    def voucher(self, day: date) -> str:
        self.vouchers += 1
        return f"V{day.year}-{self.vouchers:05d}"

    def logins(self, password: str) -> list[tuple[str, str, str]]:
        found = [("coordinator", person.email, password) for person in self.coordinators]
        found += [("auditor", self.auditor.email, password)]
        found += [("attestant", self.attestant.email, password)]
        found += [
            (f"representative ({org.name})", org.reps[0].email, password) for org in self.orgs[1:3]
        ]
        return found


def build_network(
    loader: Loader,
    *,
    index: int,
    scale: Scale,
    clock: Clock,
    rng: random.Random,
    password_hash: str,
    orgnrs: OrgnrAllocator,
    shared: dict[str, int],
) -> NetworkPlan:
    from grants.demo.scale_calendar import plan_periods_and_meetings, set_budgets
    from grants.demo.scale_meetings import hold_meetings
    from grants.demo.scale_money import follow_the_money
    from grants.demo.scale_proposals import plan_proposals

    plan = _network(loader, index, scale, clock)
    people = _People(loader, plan, clock, rng, password_hash)
    _staff(plan, people)
    _criteria_and_rules(loader, plan)
    _members(loader, plan, people, scale, rng, orgnrs, shared)
    plan_periods_and_meetings(loader, plan, scale, clock)
    proposals = plan_proposals(loader, plan, scale, clock, rng)
    set_budgets(loader, plan, proposals)
    grants = hold_meetings(loader, plan, proposals, clock, rng)
    follow_the_money(loader, plan, grants, clock, rng)
    return plan


def _network(loader: Loader, index: int, scale: Scale, clock: Clock) -> NetworkPlan:
    slug, name, municipality, _unit = network_identity(index)
    # Periods are meeting-interval multiples; the current period's last meeting is
    # about three weeks ahead, so all its others have been held.
    length = MEETING_INTERVAL * scale.meetings_per_period
    jitter = index % 7
    current_start = clock.today - timedelta(
        days=14 + MEETING_INTERVAL * (scale.meetings_per_period - 1) + jitter
    )
    created = clock.at(current_start - timedelta(days=length + 60), 9, 0)
    plan = NetworkPlan(
        index=index,
        id=loader.new_id("networks"),
        slug=slug,
        name=name,
        municipality=municipality,
        tie_rule=TieRule.REJECTED if index % 3 else TieRule.CHAIR_DECIDES,
        quorum=max(1, min(5, scale.organisations // 3)),
        created_at=created,
        current_start=current_start,
    )
    loader.add(
        "networks",
        id=plan.id,
        slug=slug,
        name=name,
        municipality=municipality,
        project_name="Tillsammans för inkludering",
        about=(
            f"{name} samlar föreningar, organisationer och kommunala verksamheter i "
            f"{municipality} som arbetar för integration. Medlemmarna kan söka pengar ur "
            "nätverkets pott till aktiviteter, och nätverket beslutar om dem på sina möten."
        ),
        contact_email=f"integration@{slug}.exempel.se",
        public=True,
        quorum_min_orgs=plan.quorum,
        tie_rule=plan.tie_rule,
        invite_lead_days=21,
        max_grant_ore=MAX_GRANT_ORE,
        report_due_days=REPORT_DUE_DAYS,
        attestation_required=True,
        agenda_template=DEFAULT_AGENDA_TEMPLATE,
        created_at=created,
    )
    for chain in (None, plan.id):
        loader.event(chain, created, "network.created", "networks", plan.id, data={"slug": slug})
    return plan


class _People:
    """Accounts: created with their first role, password set from the invitation."""

    def __init__(self, loader: Loader, plan: NetworkPlan, clock: Clock, rng, password_hash: str):
        self.loader, self.plan, self.clock, self.rng = loader, plan, clock, rng
        self.password_hash = password_hash

    def role(self, kind: RoleKind, at: datetime, *, org: Org | None = None, actor=None) -> Person:
        first, last = person_name(self.rng)
        person_id = self.loader.new_id("users")
        person = Person(person_id, f"{first} {last}", email_for(first, last, person_id))
        password_at = min(at + timedelta(days=self.rng.randint(1, 10)), self.clock.now)
        self.loader.add(
            "users",
            id=person_id,
            email=person.email,
            name=person.name,
            password_hash=self.password_hash,
            session_version=2,
            locale="sv",
            created_at=at,
            password_changed_at=password_at,
        )
        actor_id = actor.id if actor else None
        self.loader.event(None, at, "user.created", "users", person_id, actor=actor_id)
        self.loader.event(
            None, password_at, "user.password_set", "users", person_id, actor=person_id
        )
        self.grant(person, kind, at, org=org, actor=actor)
        return person

    def grant(self, person: Person, kind: RoleKind, at: datetime, *, org=None, actor=None) -> None:
        role_id = self.loader.add(
            "roles",
            user_id=person.id,
            network_id=self.plan.id,
            role=kind,
            organisation_id=org.id if org else None,
            created_at=at,
        )
        self.loader.event(
            self.plan.id,
            at,
            "role.granted",
            "roles",
            role_id,
            actor=actor.id if actor else None,
            data={"user_id": person.id, "role": kind.value, "organisation_id": org and org.id},
        )


def _staff(plan: NetworkPlan, people: _People) -> None:
    start = plan.created_at + timedelta(minutes=5)
    first = people.role(RoleKind.COORDINATOR, start)
    plan.coordinators.append(first)
    if plan.index % 2:
        plan.coordinators.append(
            people.role(RoleKind.COORDINATOR, start + timedelta(days=3), actor=first)
        )
    plan.auditor = people.role(RoleKind.AUDITOR, start + timedelta(hours=1), actor=first)
    plan.attestant = people.role(RoleKind.ATTESTANT, start + timedelta(hours=2), actor=first)


def _criteria_and_rules(loader: Loader, plan: NetworkPlan) -> None:
    at = plan.created_at + timedelta(hours=3)
    actor = plan.coordinator.id
    for position, text in enumerate(CRITERIA, start=1):
        criterion_id = loader.add(
            "criteria", network_id=plan.id, position=position, text=text, active=True
        )
        plan.criteria.append((criterion_id, text))
        loader.event(
            plan.id,
            at,
            "criterion.added",
            "criteria",
            criterion_id,
            actor=actor,
            data={"text": text},
        )
    rules_id = loader.add(
        "rules_documents",
        network_id=plan.id,
        version=1,
        title="Regler för Tillsammans för inkludering",
        body_markdown=RULES.replace("Uddevalla", plan.municipality),
        change_note="Första versionen, från informationsmötet.",
        created_at=at,
        created_by_id=actor,
        published_at=at + timedelta(hours=1),
    )
    data = {"version": 1}
    loader.event(plan.id, at, "rules.drafted", "rules_documents", rules_id, actor=actor, data=data)
    loader.event(
        plan.id,
        at + timedelta(hours=1),
        "rules.published",
        "rules_documents",
        rules_id,
        actor=actor,
        data=data,
    )


def _members(loader, plan: NetworkPlan, people: _People, scale: Scale, rng, orgnrs, shared):
    """The municipal unit, two regional organisations, and associations of the place,
    each with its representatives (the first is the contact person) and a bankgiro."""
    _, _, _, unit_name = network_identity(plan.index)
    templates = rng.sample(ORGANISATION_TEMPLATES, len(ORGANISATION_TEMPLATES))
    wanted = [(unit_name, "municipal")]
    wanted += [(name, "regional") for name in REGIONAL_ORGANISATIONS]
    wanted += [(name.format(m=plan.municipality), kind) for name, kind in templates]
    kinds = {
        "municipal": OrganisationKind.MUNICIPAL_UNIT,
        "network": OrganisationKind.CIVIL_SOCIETY_NETWORK,
    }
    coordinator = plan.coordinator.id
    at = plan.created_at + timedelta(days=2)
    new_rows: dict[int, dict] = {}
    membership_rows: dict[int, dict] = {}
    for name, kind in wanted[: scale.organisations]:
        at += timedelta(minutes=rng.randint(5, 300))
        org_kind = kinds.get(kind, OrganisationKind.ASSOCIATION)
        known = shared.get(name) if kind == "regional" else None
        org = Org(known or loader.new_id("organisations"), name, org_kind)
        plan.orgs.append(org)
        if known is None:
            if kind == "regional":
                shared[name] = org.id
            number = orgnrs.next("association" if kind == "regional" else kind)
            loader.add(
                "organisations", id=org.id, name=name, orgnr=number, kind=org_kind, created_at=at
            )
            new_rows[org.id] = loader.rows["organisations"][-1]
            loader.event(
                plan.id,
                at,
                "organisation.created",
                "organisations",
                org.id,
                actor=coordinator,
                data={"orgnr": number, "name": name, "kind": org_kind.value},
            )
        wants = org.wants_invitations = rng.random() < 0.95
        membership_id = loader.add(
            "memberships",
            network_id=plan.id,
            organisation_id=org.id,
            joined_at=at,
            wants_invitations=wants,
            active=True,
        )
        membership_rows[org.id] = loader.rows["memberships"][-1]
        loader.event(
            plan.id,
            at,
            "membership.created",
            "memberships",
            membership_id,
            actor=coordinator,
            data={"organisation_id": org.id, "wants_invitations": wants},
        )
    _representatives(plan, people, scale, rng)
    for org in plan.orgs:
        row = new_rows.get(org.id)
        if row is not None:
            row.update(contact_name=org.reps[0].name, contact_email=org.reps[0].email)
        # Each network keeps its own payout details, also for an organisation it shares.
        _payout_details(loader, plan, org, membership_rows[org.id], rng)
    _pending_join_request(loader, plan, rng, orgnrs)


def _representatives(plan: NetworkPlan, people: _People, scale: Scale, rng) -> None:
    staff = len(plan.coordinators) + 2
    extra = max(scale.people - staff - len(plan.orgs), 0)
    seats = [1] * len(plan.orgs)
    for _ in range(extra):
        seats[rng.randrange(len(plan.orgs))] += 1
    at = plan.created_at + timedelta(days=3)
    for org, number in zip(plan.orgs, seats, strict=True):
        for _ in range(number):
            at += timedelta(minutes=rng.randint(1, 60))
            org.reps.append(
                people.role(RoleKind.REPRESENTATIVE, at, org=org, actor=plan.coordinator)
            )


def _payout_details(loader: Loader, plan: NetworkPlan, org: Org, row: dict, rng) -> None:
    """A bankgiro number (Luhn-checked like the form's), set by the coordinator on the
    organisation's membership of this network."""
    body = str(rng.randrange(5_000_000, 9_999_999))
    details = validate_payout_details(PayoutMethod.BANKGIRO, body + luhn.calc_check_digit(body))
    org.destination = details
    at = row["joined_at"] + timedelta(days=rng.randint(5, 20))
    row.update(
        payout_method=details.method.value,
        payout_number=details.number,
        payout_bank=details.bank,
        payout_changed_at=at,
    )
    loader.event(
        plan.id,
        at,
        "organisation.payout_details_changed",
        "organisations",
        org.id,
        actor=plan.coordinator.id,
        data={
            "membership_id": row["id"],
            "method": details.method.value,
            "number_end": details.masked()[-4:],
            "had_details": False,
            "unpaid_payouts_to_previous": [],
        },
    )


def _pending_join_request(loader: Loader, plan: NetworkPlan, rng, orgnrs) -> None:
    """One association waiting for the coordinator's answer."""
    first, last = person_name(rng)
    number = orgnrs.next("association")
    name = f"Nya vänner i {plan.municipality}"
    at = plan.created_at + timedelta(days=30)
    request_id = loader.add(
        "join_requests",
        network_id=plan.id,
        organisation_name=name,
        orgnr=number,
        kind=OrganisationKind.ASSOCIATION,
        contact_name=f"{first} {last}",
        contact_email=email_for(first, last, 900_000_000 + plan.id),
        wants_invitations=True,
        message="Vi har språkcafé varje vecka och vill vara med.",
        locale="sv",
        status="pending",
        created_at=at,
    )
    loader.event(
        plan.id,
        at,
        "join_request.submitted",
        "join_requests",
        request_id,
        data={
            "orgnr": number,
            "organisation": name,
            "kind": "association",
            "existing_organisation_id": None,
        },
    )
