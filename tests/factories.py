"""Factories for test data. They write rows directly (no audit events), and commit."""

from __future__ import annotations

import random

import factory
from factory.alchemy import SQLAlchemyModelFactory
from stdnum import luhn

from grants.auth.passwords import hash_password
from grants.core.time import local_today
from grants.extensions import db
from grants.members.models import (
    JoinRequest,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    RoleKind,
    User,
)
from grants.networks.models import Criterion, Network

PASSWORD = "korrekt häst batteri häftstift"
PASSWORD_HASH = hash_password(PASSWORD)

_rng = random.Random(20261124)


def valid_bankgiro() -> str:
    body = str(random.randrange(5_000_000, 9_999_999))
    digits = body + luhn.calc_check_digit(body)
    return f"{digits[:-4]}-{digits[-4:]}"


def valid_orgnr() -> str:
    """A made-up organisation number of a legal person with a right check digit."""
    base = "80" + str(_rng.randint(2, 9)) + "".join(str(_rng.randint(0, 9)) for _ in range(6))
    number = base + luhn.calc_check_digit(base)
    return f"{number[:6]}-{number[6:]}"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class NetworkFactory(BaseFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"natverk-{n}")
    name = factory.Sequence(lambda n: f"Integrationsnätverket {n}")
    municipality = "Uddevalla"
    project_name = "Tillsammans för inkludering"
    public = True


class CriterionFactory(BaseFactory):
    class Meta:
        model = Criterion

    network = factory.SubFactory(NetworkFactory)
    text = factory.Sequence(lambda n: f"Kriterium {n}")
    position = factory.Sequence(lambda n: n)


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Föreningen {n}")
    orgnr = factory.LazyFunction(valid_orgnr)
    kind = OrganisationKind.ASSOCIATION
    contact_name = "Kim Kontakt"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@forening.example.se")


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    # Members have given the network a bankgiro, as they must before anything is paid.
    payout_method = "bankgiro"
    payout_number = factory.LazyFunction(lambda: valid_bankgiro())


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    name = factory.Sequence(lambda n: f"Person {n}")
    password_hash = PASSWORD_HASH


class RoleFactory(BaseFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    role = RoleKind.COORDINATOR
    organisation = None


class JoinRequestFactory(BaseFactory):
    class Meta:
        model = JoinRequest

    network = factory.SubFactory(NetworkFactory)
    organisation_name = factory.Sequence(lambda n: f"Nya föreningen {n}")
    orgnr = factory.LazyFunction(valid_orgnr)
    kind = OrganisationKind.ASSOCIATION
    contact_name = "Noor Nilsson"
    contact_email = factory.Sequence(lambda n: f"ny{n}@forening.example.se")


def coordinator_of(network: Network, **user_fields) -> User:
    return RoleFactory(
        network=network, role=RoleKind.COORDINATOR, user=UserFactory(**user_fields)
    ).user


def auditor_of(network: Network, **user_fields) -> User:
    return RoleFactory(network=network, role=RoleKind.AUDITOR, user=UserFactory(**user_fields)).user


def representative_of(
    network: Network, organisation: Organisation | None = None, **user_fields
) -> User:
    if organisation is None:
        organisation = MembershipFactory(network=network).organisation
    return RoleFactory(
        network=network,
        role=RoleKind.REPRESENTATIVE,
        organisation=organisation,
        user=UserFactory(**user_fields),
    ).user


# ---- pre-registration ------------------------------------------------------------------

from datetime import timedelta  # noqa: E402

from grants.core.time import utcnow  # noqa: E402
from grants.funds.models import BudgetLine, BudgetLineKind, FundingPeriod, Grant  # noqa: E402
from grants.meetings.models import Meeting  # noqa: E402
from grants.proposals.models import BudgetRow, Proposal, ProposalSource  # noqa: E402


class FundingPeriodFactory(BaseFactory):
    """A period running now with a searchable pot of 100 000 kr."""

    class Meta:
        model = FundingPeriod

    network = factory.SubFactory(NetworkFactory)
    funder = "Hälsopolitiska rådet"
    starts_on = factory.LazyFunction(lambda: local_today() - timedelta(days=100))
    ends_on = factory.LazyFunction(lambda: local_today() + timedelta(days=400))

    @factory.post_generation
    def budgets(period, create, extracted, **kwargs):
        amounts = {
            BudgetLineKind.GRANTS: 10_000_000,
            BudgetLineKind.MEETINGS: 2_000_000,
            BudgetLineKind.TRAINING: 1_000_000,
        }
        amounts.update({BudgetLineKind(kind): value for kind, value in (extracted or {}).items()})
        for kind, amount in amounts.items():
            period.lines.append(BudgetLine(kind=kind, budget_ore=amount))
        if create:
            db.session.commit()


class MeetingFactory(BaseFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    place = "Junogatan 2, våning 6"


class ProposalFactory(BaseFactory):
    class Meta:
        model = Proposal

    network = factory.SubFactory(NetworkFactory)
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    applicant = factory.LazyAttribute(lambda p: MembershipFactory(network=p.network).organisation)
    period = factory.LazyAttribute(lambda p: FundingPeriodFactory(network=p.network))
    title = factory.Sequence(lambda n: f"Språkcafé {n}")
    summary = "Vi träffas varje torsdag och pratar svenska."
    planned_start = factory.LazyFunction(lambda: local_today() + timedelta(days=40))
    planned_end = factory.LazyFunction(lambda: local_today() + timedelta(days=100))
    requested_ore = 1_000_000
    contact_name = "Kim Kontakt"
    contact_email = "kim@example.se"
    source = ProposalSource.WEB
    received_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def budget(proposal, create, extracted, **kwargs):
        proposal.budget_rows = [
            BudgetRow(position=1, item="Fika och lokal", amount_ore=proposal.requested_ore)
        ]
        if create:
            db.session.commit()


class GrantFactory(BaseFactory):
    class Meta:
        model = Grant

    proposal = factory.SubFactory(ProposalFactory)
    network = factory.SelfAttribute("proposal.network")
    period = factory.SelfAttribute("proposal.period")
    amount_ore = factory.SelfAttribute("proposal.requested_ore")


def attestant_of(network: Network, **user_fields) -> User:
    return RoleFactory(
        network=network, role=RoleKind.ATTESTANT, user=UserFactory(**user_fields)
    ).user


def on_its_day(meeting: Meeting) -> Meeting:
    """A meeting is opened on its day: this one is moved to now, as the coordinator would
    with "Flytta mötet till i dag"."""
    meeting.starts_at = utcnow()
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    return meeting
