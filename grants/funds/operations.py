"""Funding periods and their budget lines; what is left to apply for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.i18n import current_language
from grants.core.money import format_amount
from grants.core.time import local_today, utcnow
from grants.extensions import db
from grants.funds.expenses import committed_on_line
from grants.funds.ledger import committed_on
from grants.funds.models import BudgetLine, BudgetLineKind, FundingPeriod
from grants.networks.models import Network


def today() -> date:
    """Today's date in Stockholm."""
    return local_today()


def current_period(network: Network, on: date | None = None) -> FundingPeriod | None:
    """The period that covers ``on`` (today by default)."""
    on = on or today()
    return db.session.scalar(
        sa.select(FundingPeriod)
        .where(
            FundingPeriod.network_id == network.id,
            FundingPeriod.starts_on <= on,
            FundingPeriod.ends_on >= on,
        )
        .order_by(FundingPeriod.starts_on.desc())
        .limit(1)
    )


def running_among(periods: list[FundingPeriod], on: date | None = None) -> FundingPeriod | None:
    """Of ``periods`` (newest first, as ``periods`` gives them): the one covering ``on``
    (today by default), as ``current_period`` finds it, without asking the database."""
    on = on or today()
    return next((period for period in periods if period.starts_on <= on <= period.ends_on), None)


def period_to_show(periods: list[FundingPeriod], on: date) -> FundingPeriod | None:
    """Of ``periods`` (newest first): the one running ``on``; else the newest that has
    started; else the newest."""
    running = running_among(periods, on)
    if running is not None:
        return running
    started = [period for period in periods if period.starts_on <= on]
    return (started or periods or [None])[0]


def chosen_period(
    periods: list[FundingPeriod], period_id: int | None
) -> tuple[bool, FundingPeriod | None]:
    """The period a page asked for (``?period=``), or the one to show by default.
    The flag is False when ``period_id`` is not one of ``periods`` (another network's)."""
    if period_id is None:
        return True, period_to_show(periods, today())
    found = next((period for period in periods if period.id == period_id), None)
    return found is not None, found


def committed_ore(line: BudgetLine) -> int:
    """Money already promised from ``line``: committed grants on the grants line,
    expenses not cancelled on the others."""
    if line.kind == BudgetLineKind.GRANTS:
        return committed_on(line.period_id)
    return committed_on_line(line.period_id, line.kind)


@dataclass(frozen=True)
class Pot:
    period: FundingPeriod | None
    budget_ore: int
    committed_ore: int  # granted, less refunds and what withdrawn grants released

    @property
    def left_ore(self) -> int:
        return max(self.budget_ore - self.committed_ore, 0)


def pot(network: Network, period: FundingPeriod | None = None) -> Pot:
    """The searchable pot of ``period`` (the current one by default)."""
    period = period or current_period(network)
    if period is None:
        return Pot(None, 0, 0)
    line = period.line(BudgetLineKind.GRANTS)
    return Pot(period, line.budget_ore if line else 0, committed_on(period.id))


def _check_dates(network: Network, starts_on: date, ends_on: date, period_id: int | None):
    if ends_on < starts_on:
        raise DomainError(_l("Perioden kan inte sluta innan den börjar."), field="ends_on")
    overlapping = db.session.scalar(
        sa.select(FundingPeriod).where(
            FundingPeriod.network_id == network.id,
            FundingPeriod.id != (period_id or 0),
            FundingPeriod.starts_on <= ends_on,
            FundingPeriod.ends_on >= starts_on,
        )
    )
    if overlapping is not None:
        raise DomainError(
            _l(
                "Perioden överlappar %(funder)s %(start)s–%(end)s. Perioder får inte överlappa.",
                funder=overlapping.funder,
                start=overlapping.starts_on.isoformat(),
                end=overlapping.ends_on.isoformat(),
            ),
            field="starts_on",
        )


def create_period(
    network: Network,
    *,
    funder: str,
    starts_on: date,
    ends_on: date,
    note: str,
    budgets: dict[BudgetLineKind, int],
    actor,
) -> FundingPeriod:
    _check_dates(network, starts_on, ends_on, None)
    period = FundingPeriod(
        network=network, funder=funder, starts_on=starts_on, ends_on=ends_on, note=note
    )
    for kind in BudgetLineKind:
        period.lines.append(BudgetLine(kind=kind, budget_ore=budgets.get(kind, 0)))
    db.session.add(period)
    audit.record(network, "funding_period.created", period, actor=actor, data=_summary(period))
    return period


def update_period(
    period: FundingPeriod,
    *,
    funder: str,
    starts_on: date,
    ends_on: date,
    note: str,
    budgets: dict[BudgetLineKind, int],
    actor,
) -> None:
    """Change a period; a line is never set below what is already committed on it."""
    _check_dates(period.network, starts_on, ends_on, period.id)
    for kind, budget in budgets.items():
        line = period.line(kind)
        if line is None:
            line = BudgetLine(kind=kind, budget_ore=0)
            period.lines.append(line)
            db.session.flush()
        committed = committed_ore(line)
        if budget < committed:
            raise DomainError(
                _l(
                    "Budgeten kan inte vara lägre än det som redan är beviljat: %(amount)s.",
                    amount=format_amount(committed, current_language()),
                ),
                field=f"budget_{kind.value}",
            )
        line.budget_ore = budget
    period.funder, period.starts_on, period.ends_on, period.note = funder, starts_on, ends_on, note
    audit.record(
        period.network, "funding_period.changed", period, actor=actor, data=_summary(period)
    )


def _summary(period: FundingPeriod) -> dict:
    return {
        "funder": period.funder,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "budgets": {line.kind.value: line.budget_ore for line in period.lines},
    }


def periods(network: Network) -> list[FundingPeriod]:
    return list(
        db.session.scalars(
            sa.select(FundingPeriod)
            .where(FundingPeriod.network_id == network.id)
            .order_by(FundingPeriod.starts_on.desc())
        )
    )


def meetings_in(period: FundingPeriod) -> dict[str, list]:
    """The period's meetings, held (or under way) and planned; the source plans 6–8."""
    return meetings_in_periods([period])[period.id]


def meetings_in_periods(periods: list[FundingPeriod]) -> dict[int, dict[str, list]]:
    """``meetings_in`` for each of one network's ``periods``, in one query."""
    from datetime import datetime, time

    from grants.core.time import STOCKHOLM
    from grants.meetings.models import Meeting, MeetingStatus

    if not periods:
        return {}
    spans = {
        period.id: (
            datetime.combine(period.starts_on, time.min, tzinfo=STOCKHOLM),
            datetime.combine(period.ends_on, time.max, tzinfo=STOCKHOLM),
        )
        for period in periods
    }
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.network_id.in_({period.network_id for period in periods}),
            Meeting.starts_at >= min(start for start, _ in spans.values()),
            Meeting.starts_at <= max(end for _, end in spans.values()),
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at)
    ).all()
    now = utcnow()
    found = {}
    for period in periods:
        start, end = spans[period.id]
        within = [
            m for m in meetings if m.network_id == period.network_id and start <= m.starts_at <= end
        ]
        held = [
            m
            for m in within
            if m.status not in (MeetingStatus.PLANNED, MeetingStatus.INVITED) or m.starts_at <= now
        ]
        found[period.id] = {"held": held, "planned": [m for m in within if m not in held]}
    return found
