from __future__ import annotations

from flask_babel import lazy_gettext as _l

from grants.core.forms import AmountField, BaseForm, DateInputField, LineField, MultilineField
from grants.core.forms import required as required_field


class PeriodForm(BaseForm):
    funder = LineField(
        _l("Finansiär"),
        [required_field(_l("Skriv vem pengarna kommer från."))],
        description=_l("Till exempel Hälsopolitiska rådet."),
    )
    starts_on = DateInputField(_l("Perioden börjar"), [required_field(_l("Skriv startdatum."))])
    ends_on = DateInputField(_l("Perioden slutar"), [required_field(_l("Skriv slutdatum."))])
    budget_grants = AmountField(_l("Sökbar pott för aktiviteter (kronor)"), allow_zero=True)
    budget_meetings = AmountField(_l("Nätverkets träffar (kronor)"), allow_zero=True)
    budget_training = AmountField(_l("Fortbildning (kronor)"), allow_zero=True)
    note = MultilineField(_l("Anteckning"), max_chars=2000)


class PayoutForm(BaseForm):
    amount = AmountField(_l("Belopp (kronor)"))
    planned_on = DateInputField(
        _l("Planerad utbetalningsdag"), [required_field(_l("Skriv när pengarna ska betalas ut."))]
    )
    note = LineField(
        _l("Anteckning"), max_chars=500, description=_l("Till exempel: första delen, 50 %.")
    )


class PaidForm(BaseForm):
    paid_on = DateInputField(_l("Betald den"), [required_field(_l("Skriv betaldagen."))])
    accounting_ref = LineField(
        _l("Verifikationsnummer"),
        [required_field(_l("Skriv verifikationsnumret från ekonomisystemet."))],
        max_chars=60,
    )


class CancelPayoutForm(BaseForm):
    reason = LineField(
        _l("Varför makuleras utbetalningen?"),
        [required_field(_l("Skriv varför utbetalningen makuleras."))],
        max_chars=500,
    )


class RefundForm(BaseForm):
    amount = AmountField(_l("Återbetalt belopp (kronor)"))
    received_on = DateInputField(_l("Mottaget den"), [required_field(_l("Skriv datumet."))])
    reference = LineField(
        _l("Referens"),
        [required_field(_l("Skriv en referens."))],
        max_chars=60,
        description=_l("Till exempel verifikationsnumret."),
    )
    note = LineField(_l("Anteckning"), max_chars=500)


class WithdrawGrantForm(BaseForm):
    reason = MultilineField(
        _l("Varför återkallas bidraget?"),
        [required_field(_l("Skriv varför bidraget återkallas."))],
        max_chars=2000,
        description=_l("Till exempel beslut på möte 5, eller att organisationen avstår."),
    )
