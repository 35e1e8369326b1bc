"""Payouts with attestation, refunds and withdrawals (invariant 2)."""

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from grants.core.errors import DomainError
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import payouts
from grants.funds.ledger import grant_figures
from grants.funds.models import GrantState, Payout, PayoutStatus, Refund
from grants.funds.operations import pot
from grants.members.models import RoleKind
from tests.factories import RoleFactory, attestant_of
from tests.funds.conftest import race

TODAY = local_today()


def pay(grant, amount, coordinator, attestant):
    payout = payouts.register_payout(
        grant, amount_ore=amount, planned_on=TODAY, note="", actor=coordinator
    )
    payouts.attest_payout(payout, actor=attestant)
    payouts.mark_paid(payout, paid_on=TODAY, accounting_ref="V-1001", actor=coordinator)
    return payout


def test_instalments_move_the_grant_from_granted_to_paid(grant_setup):
    grant, coordinator, attestant = (grant_setup[k] for k in ("grant", "coordinator", "attestant"))
    pay(grant, 1_000_000, coordinator, attestant)
    assert grant.state == GrantState.PARTLY_PAID
    pay(grant, 1_000_000, coordinator, attestant)
    assert grant.state == GrantState.PAID
    assert grant_figures([grant.id])[grant.id].paid == 2_000_000


def test_payouts_never_exceed_the_grant(grant_setup):
    grant, coordinator = grant_setup["grant"], grant_setup["coordinator"]
    payouts.register_payout(
        grant, amount_ore=1_500_000, planned_on=TODAY, note="", actor=coordinator
    )
    with pytest.raises(DomainError, match="bara att betala ut 5\u00a0000\u00a0kr till"):
        payouts.register_payout(
            grant, amount_ore=500_001, planned_on=TODAY, note="", actor=coordinator
        )


def test_nobody_attests_their_own_payout(grant_setup):
    grant, network = grant_setup["grant"], grant_setup["network"]
    both = grant_setup["coordinator"]
    RoleFactory(network=network, role=RoleKind.ATTESTANT, user=both)
    payout = payouts.register_payout(grant, amount_ore=100, planned_on=TODAY, note="", actor=both)
    with pytest.raises(DomainError, match="kan inte attestera den själv"):
        payouts.attest_payout(payout, actor=both)


def test_nobody_attests_a_payout_to_an_organisation_they_represent(grant_setup):
    grant, network, grantee = grant_setup["grant"], grant_setup["network"], grant_setup["grantee"]
    insider = attestant_of(network)
    RoleFactory(network=network, role=RoleKind.REPRESENTATIVE, organisation=grantee, user=insider)
    payout = payouts.register_payout(
        grant, amount_ore=100, planned_on=TODAY, note="", actor=grant_setup["coordinator"]
    )
    with pytest.raises(DomainError, match="representerar organisationen"):
        payouts.attest_payout(payout, actor=insider)


def test_only_attestants_attest(grant_setup):
    payout = payouts.register_payout(
        grant_setup["grant"],
        amount_ore=100,
        planned_on=TODAY,
        note="",
        actor=grant_setup["coordinator"],
    )
    from tests.factories import coordinator_of

    with pytest.raises(DomainError, match="rollen attestant"):
        payouts.attest_payout(payout, actor=coordinator_of(grant_setup["network"]))


def test_a_payout_is_paid_only_after_attestation_with_a_reference(grant_setup):
    grant, coordinator, attestant = (grant_setup[k] for k in ("grant", "coordinator", "attestant"))
    payout = payouts.register_payout(
        grant, amount_ore=100, planned_on=TODAY, note="", actor=coordinator
    )
    with pytest.raises(DomainError, match="attesterad innan"):
        payouts.mark_paid(payout, paid_on=TODAY, accounting_ref="V-1", actor=coordinator)
    payouts.attest_payout(payout, actor=attestant)
    with pytest.raises(DomainError, match="verifikationsnumret"):
        payouts.mark_paid(payout, paid_on=TODAY, accounting_ref="", actor=coordinator)
    with pytest.raises(DomainError, match="framtiden"):
        payouts.mark_paid(
            payout, paid_on=TODAY + timedelta(days=2), accounting_ref="V-1", actor=coordinator
        )


def test_without_required_attestation_a_payout_goes_straight_to_paid(grant_setup):
    grant, coordinator = grant_setup["grant"], grant_setup["coordinator"]
    grant_setup["network"].attestation_required = False
    payout = payouts.register_payout(
        grant, amount_ore=100, planned_on=TODAY, note="", actor=coordinator
    )
    payouts.mark_paid(payout, paid_on=TODAY, accounting_ref="V-2", actor=coordinator)
    assert payout.status == PayoutStatus.PAID


def test_refunds_never_exceed_what_was_paid_and_raise_what_is_left(grant_setup):
    grant, coordinator, attestant = (grant_setup[k] for k in ("grant", "coordinator", "attestant"))
    network = grant_setup["network"]
    pay(grant, 1_200_000, coordinator, attestant)
    before = pot(network).left_ore
    with pytest.raises(DomainError, match="inte vara större än det som betalats ut"):
        payouts.register_refund(
            grant,
            amount_ore=1_200_001,
            received_on=TODAY,
            reference="V-9",
            note="",
            actor=coordinator,
        )
    payouts.register_refund(
        grant,
        amount_ore=200_000,
        received_on=TODAY,
        reference="V-9",
        note="Oanvänt",
        actor=coordinator,
    )
    assert pot(network).left_ore == before + 200_000


def test_a_withdrawal_releases_what_was_not_paid(grant_setup):
    grant, coordinator, attestant = (grant_setup[k] for k in ("grant", "coordinator", "attestant"))
    network = grant_setup["network"]
    pay(grant, 500_000, coordinator, attestant)
    waiting = payouts.register_payout(
        grant, amount_ore=500_000, planned_on=TODAY, note="", actor=coordinator
    )
    left_before = pot(network).left_ore
    payouts.withdraw_grant(grant, reason="Aktiviteten blev inte av.", actor=coordinator)
    assert grant.state == GrantState.WITHDRAWN
    assert waiting.status == PayoutStatus.CANCELLED
    assert pot(network).left_ore == left_before + 1_500_000
    with pytest.raises(DomainError, match="återkallat"):
        payouts.register_payout(grant, amount_ore=1, planned_on=TODAY, note="", actor=coordinator)


def test_two_attestations_of_one_payout_one_wins(app, backend, grant_setup):
    if backend != "postgresql":
        pytest.skip("parallel writers race on PostgreSQL")
    network, grant = grant_setup["network"], grant_setup["grant"]
    payout = payouts.register_payout(
        grant, amount_ore=100, planned_on=TODAY, note="", actor=grant_setup["coordinator"]
    )
    second = attestant_of(network)
    db.session.commit()
    payout_id = payout.id
    ids = iter([grant_setup["attestant"].id, second.id])
    lock = threading.Lock()
    from grants.members.models import User

    def work():
        with lock:
            user_id = next(ids)
        payouts.attest_payout(
            db.session.get(Payout, payout_id), actor=db.session.get(User, user_id)
        )

    outcomes = race(app, work, 2)
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    assert any("redan attesterad" in o for o in outcomes)


def test_payouts_racing_past_the_grant_never_exceed_it(app, backend, grant_setup):
    if backend != "postgresql":
        pytest.skip("parallel writers race on PostgreSQL")
    grant, coordinator = grant_setup["grant"], grant_setup["coordinator"]
    grant_id, coordinator_id, amount = grant.id, coordinator.id, grant.amount_ore
    db.session.commit()
    from grants.funds.models import Grant
    from grants.members.models import User

    def work():
        payouts.register_payout(
            db.session.get(Grant, grant_id),
            amount_ore=300_000,
            planned_on=TODAY,
            note="",
            actor=db.session.get(User, coordinator_id),
        )

    outcomes = race(app, work, 10)  # 10 × 3 000 kr against a grant of 20 000 kr
    assert outcomes.count("ok") == 6
    db.session.rollback()
    total = db.session.scalar(sa.select(sa.func.sum(Payout.amount_ore)))
    assert int(total) == 1_800_000 <= amount
    assert db.session.scalar(sa.select(sa.func.count(Refund.id))) == 0


def test_just_after_midnight_in_stockholm_today_is_stockholms_day(grant_setup):
    """At 00:30 on 1 May in Stockholm it is still 30 April in UTC; a treasurer who pays
    and records a refund that night writes 1 May, and that is not "in the future"."""
    from freezegun import freeze_time

    grant, coordinator, attestant = (grant_setup[k] for k in ("grant", "coordinator", "attestant"))
    may_day = date(2026, 5, 1)
    payout = payouts.register_payout(
        grant, amount_ore=100_000, planned_on=TODAY, note="", actor=coordinator
    )
    payouts.attest_payout(payout, actor=attestant)
    with freeze_time("2026-04-30 22:30:00"):  # UTC
        payouts.mark_paid(payout, paid_on=may_day, accounting_ref="V-7", actor=coordinator)
        payouts.register_refund(
            grant, amount_ore=100, received_on=may_day, reference="V-8", note="", actor=coordinator
        )
        with pytest.raises(DomainError, match="framtiden"):
            payouts.register_refund(
                grant,
                amount_ore=100,
                received_on=date(2026, 5, 2),
                reference="V-9",
                note="",
                actor=coordinator,
            )
    assert payout.status == PayoutStatus.PAID
    assert payout.paid_on == may_day


def _paid_behind_our_back(payout) -> None:
    """Another request marks the payout paid after this one read it as attested. (This
    one keeps what it read, and writes as a request does after ``begin_writing``.)"""
    from flask import g

    payout_id, session = payout.id, db.session()
    session.expire_on_commit = False
    session.commit()
    session.expire_on_commit = True
    g.sqlite_write_transactions = True
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE payouts SET status = 'paid', paid_on = :day WHERE id = :id"),
            {"day": TODAY, "id": payout_id},
        )


def test_a_payout_paid_meanwhile_is_not_cancelled(grant_setup):
    """Cancel and 'mark paid' at the same moment: the payment stays, it is not paid twice."""
    grant, coordinator, attestant = (grant_setup[k] for k in ("grant", "coordinator", "attestant"))
    payout = payouts.register_payout(
        grant, amount_ore=1_000, planned_on=TODAY, note="", actor=coordinator
    )
    payouts.attest_payout(payout, actor=attestant)
    assert payout.status == PayoutStatus.ATTESTED  # as this request read it
    _paid_behind_our_back(payout)
    with pytest.raises(DomainError):
        payouts.cancel_payout(payout, reason="Fel belopp", actor=coordinator)
    db.session.rollback()
    assert db.session.get(Payout, payout.id).status == PayoutStatus.PAID


def test_withdrawing_a_grant_leaves_a_payout_paid_meanwhile_paid(grant_setup):
    grant, coordinator, attestant = (grant_setup[k] for k in ("grant", "coordinator", "attestant"))
    payout = payouts.register_payout(
        grant, amount_ore=1_000, planned_on=TODAY, note="", actor=coordinator
    )
    payouts.attest_payout(payout, actor=attestant)
    assert [p.status for p in grant.payouts] == [PayoutStatus.ATTESTED]
    _paid_behind_our_back(payout)
    payouts.withdraw_grant(grant, reason="Inställt", actor=coordinator)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Payout, payout.id).status == PayoutStatus.PAID
