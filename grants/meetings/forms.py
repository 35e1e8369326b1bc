from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from grants.core.forms import BaseForm, DateInputField, LineField, MultilineField, TimeInputField
from grants.core.forms import required as required_field


class MeetingForm(BaseForm):
    date = DateInputField(_l("Datum"), [required_field(_l("Skriv mötets datum."))])
    start_time = TimeInputField(
        _l("Börjar klockan"), [required_field(_l("Skriv när mötet börjar."))]
    )
    end_time = TimeInputField(_l("Slutar klockan"), [required_field(_l("Skriv när mötet slutar."))])
    place = LineField(_l("Plats"), [required_field(_l("Skriv var mötet hålls."))], max_chars=300)
    host = SelectField(
        _l("Värd"),
        coerce=lambda v: int(v) if v else None,
        validate_choice=False,
        validators=[Optional()],
    )
    theme = LineField(_l("Seminarium eller utbildning (frivilligt)"), max_chars=300)


class InviteForm(BaseForm):
    confirm_short_notice = BooleanField(
        _l("Skicka kallelsen även om det är kortare tid kvar än nätverket brukar ha")
    )


class CancelForm(BaseForm):
    reason = MultilineField(
        _l("Varför ställs mötet in?"),
        [required_field(_l("Skriv varför mötet ställs in."))],
        max_chars=1000,
    )
