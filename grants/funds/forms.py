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
