"""Every krona after the decisions, for one regional-demo network.

Each grant is paid in instalments (registered by the coordinator, attested by the
attestant, who neither registered them nor represents the grantee, then paid with
a verifikationsnummer), reported on after the activity (accepted, awaiting review,
sent back, or not yet in: overdue), and sometimes partly refunded or withdrawn.
The network's own meetings and training have their expenses with receipts. All of
it only up to the seed's "now"; later steps have not happened yet.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta

from grants.core.time import to_local
from grants.demo.scale import Clock, Loader, store_receipt
from grants.demo.scale_meetings import GrantPlan
from grants.demo.scale_names import MORE_PLEASE, REPORT_CONTRIBUTION, REPORT_DONE
from grants.demo.scale_network import NetworkPlan, Period
from grants.funds.models import BudgetLineKind

LECTURER = "Interkulturella kompetenscentret AB"


def follow_the_money(loader: Loader, plan: NetworkPlan, grants: list[GrantPlan], clock, rng):
    for grant in grants:
        if rng.random() < 0.015 and grant.decided_at + timedelta(days=50) < clock.now:
            _withdrawn(loader, plan, grant, clock)
            continue
        paid = _payouts(loader, plan, grant, clock, rng)
        _report(loader, plan, grant, paid, clock, rng)
    for meeting in plan.meetings:
        if meeting.past:
            day = to_local(meeting.starts_at).date()
            amount = rng.randrange(12, 46) * 10_000
            _expense(
                loader,
                plan,
                meeting.period,
                BudgetLineKind.MEETINGS,
                day,
                amount,
                meeting.host,
                "Lokalhyra och fika",
                clock,
                rng,
            )
    for period in plan.periods:
        for offset in (60, 200):
            day = period.starts_on + timedelta(days=offset)
            if day < clock.today - timedelta(days=3) and day <= period.ends_on:
                amount = rng.randrange(60, 151) * 10_000
                _expense(
                    loader,
                    plan,
                    period,
                    BudgetLineKind.TRAINING,
                    day,
                    amount,
                    None,
                    "Föreläsning om interkulturell kommunikation",
                    clock,
                    rng,
                )


def _payment_steps(registered: datetime, clock: Clock, rng, due: date | None = None) -> tuple:
    """(attested at, paid on, paid at): each None until it has happened. Paid on the
    planned day ``due`` when attestation came before it."""
    attested = registered + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
    if attested > clock.now:
        return None, None, None
    paid_on = to_local(attested).date() + timedelta(days=rng.randint(1, 3))
    paid_on = max(paid_on, due) if due else paid_on
    paid_at = clock.at(paid_on, 14, 0)
    if paid_at > clock.now:
        return attested, None, None
    return attested, paid_on, paid_at


def _destination(org) -> dict:
    """The account the payout was registered (and attested) with: the network's own."""
    details = org.destination
    return {
        "payee_name": org.name,
        "destination_method": details.method.value,
        "destination_number": details.number,
        "destination_bank": details.bank,
    }


def _account(org) -> dict:
    return {"method": org.destination.method.value, "number_end": org.destination.masked()[-4:]}


def _payouts(loader, plan: NetworkPlan, grant: GrantPlan, clock: Clock, rng) -> list:
    """Instalments: most grants in two, small ones in one, some in three.
    Returns (paid at, amount) of each instalment paid."""
    proposal = grant.proposal
    draw = rng.random()
    shares = [100] if draw < 0.1 else [40, 30, 30] if draw < 0.15 else [60, 40]
    amounts = [grant.amount * share // 100 // 10_000 * 10_000 for share in shares[:-1]]
    amounts.append(grant.amount - sum(amounts))
    decided = to_local(grant.decided_at).date()
    start, end = proposal.planned_start, proposal.planned_end
    days = [max(decided + timedelta(days=7), start - timedelta(days=7))]
    days += [start + (end - start) / 2, end][: len(amounts) - 1]
    paid = []
    for amount, planned_on in zip(amounts, days, strict=True):
        if amount <= 0:
            continue
        registered = max(
            clock.at(planned_on - timedelta(days=5), 10, 0),
            grant.decided_at + timedelta(days=1),
        )
        if registered > clock.now:
            break
        attested, paid_on, paid_at = _payment_steps(registered, clock, rng, planned_on)
        status = "paid" if paid_on else "attested" if attested else "registered"
        reference = plan.voucher(paid_on) if paid_on else ""
        payout_id = loader.add(
            "payouts",
            network_id=plan.id,
            grant_id=grant.id,
            amount_ore=amount,
            planned_on=planned_on,
            note="",
            status=status,
            registered_by_id=plan.coordinator.id,
            registered_at=registered,
            attested_by_id=plan.attestant.id if attested else None,
            attested_at=attested,
            paid_on=paid_on,
            accounting_ref=reference,
            paid_recorded_by_id=plan.coordinator.id if paid_on else None,
            cancelled_reason="",
            **_destination(proposal.applicant),
        )
        _payment_events(
            loader,
            plan,
            "payout",
            payout_id,
            registered,
            attested,
            paid_at,
            {"grant_id": grant.id, "amount_ore": amount},
            {"planned_on": planned_on.isoformat()},
            paid_on,
            reference,
            _account(proposal.applicant),
        )
        if paid_at:
            paid.append((paid_at, amount))
    return paid


def _payment_events(
    loader,
    plan,
    kind,
    row_id,
    registered,
    attested,
    paid_at,
    figures,
    extra,
    paid_on,
    reference,
    account: dict | None = None,
) -> None:
    """As the operations write them; ``account`` (a payout's method and last digits) goes
    into the registered and attested events."""
    table = "payouts" if kind == "payout" else "expenses"
    account = account or {}
    coordinator = plan.coordinator.id
    loader.event(
        plan.id,
        registered,
        f"{kind}.registered",
        table,
        row_id,
        actor=coordinator,
        data=figures | extra | account,
    )
    if attested:
        loader.event(
            plan.id,
            attested,
            f"{kind}.attested",
            table,
            row_id,
            actor=plan.attestant.id,
            data=figures | account,
        )
    if paid_at:
        data = figures | {"paid_on": paid_on.isoformat(), "accounting_ref": reference}
        loader.event(plan.id, paid_at, f"{kind}.paid", table, row_id, actor=coordinator, data=data)


def _withdrawn(loader, plan: NetworkPlan, grant: GrantPlan, clock: Clock) -> None:
    """The activity was called off: the first instalment had been paid, the rest goes back."""
    first = grant.amount // 2 // 10_000 * 10_000 or grant.amount
    registered = grant.decided_at + timedelta(days=3)
    attested, paid_at = registered + timedelta(days=2), registered + timedelta(days=4)
    paid_on = to_local(paid_at).date()
    reference = plan.voucher(paid_on)
    payout_id = loader.add(
        "payouts",
        network_id=plan.id,
        grant_id=grant.id,
        amount_ore=first,
        planned_on=to_local(registered).date(),
        note="",
        status="paid",
        registered_by_id=plan.coordinator.id,
        registered_at=registered,
        attested_by_id=plan.attestant.id,
        attested_at=attested,
        paid_on=paid_on,
        accounting_ref=reference,
        paid_recorded_by_id=plan.coordinator.id,
        cancelled_reason="",
        **_destination(grant.proposal.applicant),
    )
    _payment_events(
        loader,
        plan,
        "payout",
        payout_id,
        registered,
        attested,
        paid_at,
        {"grant_id": grant.id, "amount_ore": first},
        {"planned_on": to_local(registered).date().isoformat()},
        paid_on,
        reference,
        _account(grant.proposal.applicant),
    )
    withdrawn_at = grant.decided_at + timedelta(days=30)
    reason = "Aktiviteten ställdes in."
    grant.row.update(state="withdrawn", withdrawn_at=withdrawn_at, withdrawal_reason=reason)
    loader.event(
        plan.id,
        withdrawn_at,
        "grant.withdrawn",
        "grants",
        grant.id,
        actor=plan.coordinator.id,
        data={"released_ore": grant.amount - first},
    )


def _report(loader, plan: NetworkPlan, grant: GrantPlan, paid: list, clock: Clock, rng) -> None:
    """The grantee's report some weeks after the activity, and what follows it."""
    proposal = grant.proposal
    total_paid = sum(amount for _, amount in paid)
    state = "granted" if not total_paid else "paid" if total_paid >= grant.amount else "partly_paid"
    grant.row["state"] = state
    submitted = clock.at(proposal.planned_end + timedelta(days=rng.randint(5, 80)), 19, 0)
    if submitted > clock.now or rng.random() < 0.08:
        return  # not yet in: outstanding, and overdue once the due date has passed
    unused = 0
    if rng.random() < 0.15:
        unused = max(10_000, grant.amount * rng.randint(5, 25) // 100 // 10_000 * 10_000)
    used = grant.amount - unused
    requested = proposal.requested
    costs = [
        [item, budget, budget * used // requested // 100 * 100] for item, budget in proposal.rows
    ]
    decided = submitted + timedelta(days=rng.randint(3, 20), hours=-8)
    if decided > clock.now:
        status, decided = "submitted", None
    else:
        status = "accepted" if rng.random() < 0.9 else "needs_more"
    report_id = loader.add(
        "grant_reports",
        network_id=plan.id,
        grant_id=grant.id,
        done_text=rng.choice(REPORT_DONE),
        participants=rng.randint(8, 120),
        contribution_text=rng.choice(REPORT_CONTRIBUTION),
        costs=json.dumps(costs, ensure_ascii=False),
        unused_ore=unused,
        status=status,
        submitted_at=submitted,
        submitted_by_id=proposal.contact.id,
        coordinator_message=MORE_PLEASE if status == "needs_more" else "",
        decided_at=decided,
        decided_by_id=plan.coordinator.id if decided else None,
    )
    loader.event(
        plan.id,
        submitted,
        "report.submitted",
        "grant_reports",
        report_id,
        actor=proposal.contact.id,
        data={
            "grant_id": grant.id,
            "participants": loader.rows["grant_reports"][-1]["participants"],
            "unused_ore": unused,
            "attachments": 0,
        },
    )
    grant.row["state"] = "reported"
    if status == "needs_more":
        loader.event(
            plan.id,
            decided,
            "report.needs_more",
            "grant_reports",
            report_id,
            actor=plan.coordinator.id,
            data={"grant_id": grant.id},
        )
    if status != "accepted":
        return
    paid_then = sum(amount for at, amount in paid if at <= decided)
    loader.event(
        plan.id,
        decided,
        "report.accepted",
        "grant_reports",
        report_id,
        actor=plan.coordinator.id,
        data={"grant_id": grant.id, "closed": paid_then >= used},
    )
    if total_paid >= used:
        grant.row["state"] = "closed"
    if unused:
        _refund(loader, plan, grant, paid, used, decided, clock, rng)


def _refund(loader, plan, grant: GrantPlan, paid, used: int, after: datetime, clock, rng) -> None:
    """What was paid beyond what was used comes back (never more than was paid)."""
    received_on = to_local(after).date() + timedelta(days=rng.randint(5, 30))
    registered = clock.at(received_on + timedelta(days=1), 10, 0)
    if registered > clock.now:
        return
    amount = sum(value for at, value in paid if at <= registered) - used
    if amount <= 0:
        return
    reference = plan.voucher(received_on)
    refund_id = loader.add(
        "refunds",
        network_id=plan.id,
        grant_id=grant.id,
        amount_ore=amount,
        received_on=received_on,
        reference=reference,
        note="Oanvänt bidrag enligt redovisningen.",
        registered_by_id=plan.coordinator.id,
        registered_at=registered,
    )
    loader.event(
        plan.id,
        registered,
        "refund.registered",
        "refunds",
        refund_id,
        actor=plan.coordinator.id,
        data={
            "grant_id": grant.id,
            "amount_ore": amount,
            "received_on": received_on.isoformat(),
            "reference": reference,
        },
    )


def _expense(
    loader,
    plan,
    period: Period,
    line: BudgetLineKind,
    day: date,
    amount: int,
    payee_org,
    note: str,
    clock: Clock,
    rng,
) -> None:
    """Room hire or a lecturer, with its receipt, never beyond what is left on the line."""
    spent = period.spent.get(line, 0)
    if spent + amount > period.budgets[line]:
        return
    period.spent[line] = spent + amount
    registered = clock.at(day + timedelta(days=2), 10, 0)
    if registered > clock.now:
        return
    attested, paid_on, paid_at = _payment_steps(registered, clock, rng)
    reference = plan.voucher(paid_on) if paid_on else ""
    key = secrets.token_hex(24)
    expense_id = loader.add(
        "expenses",
        network_id=plan.id,
        period_id=period.id,
        line_kind=line,
        spent_on=day,
        amount_ore=amount,
        payee=payee_org.name if payee_org else LECTURER,
        payee_organisation_id=payee_org.id if payee_org else None,
        note=note,
        receipt_filename="kvitto.pdf",
        receipt_content_type="application/pdf",
        receipt_size=store_receipt(loader, key, registered),
        receipt_key=key,
        status="paid" if paid_on else "attested" if attested else "registered",
        registered_by_id=plan.coordinator.id,
        registered_at=registered,
        attested_by_id=plan.attestant.id if attested else None,
        attested_at=attested,
        paid_on=paid_on,
        accounting_ref=reference,
        paid_recorded_by_id=plan.coordinator.id if paid_on else None,
        cancelled_reason="",
    )
    figures = {"line": line.value, "amount_ore": amount}
    extra = {"spent_on": day.isoformat(), "payee_organisation_id": payee_org and payee_org.id}
    _payment_events(
        loader,
        plan,
        "expense",
        expense_id,
        registered,
        attested,
        paid_at,
        figures,
        extra,
        paid_on,
        reference,
    )
