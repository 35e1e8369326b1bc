from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import InputRequired

from grants.core.forms import BaseForm, EmailAddressField


class LoginForm(BaseForm):
    email = EmailAddressField(_l("E-postadress"))
    password = PasswordField(
        _l("Lösenord"),
        validators=[InputRequired(message=_l("Skriv ditt lösenord."))],
        render_kw={"autocomplete": "current-password"},
    )


class ResetRequestForm(BaseForm):
    email = EmailAddressField(_l("E-postadress"))


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("Nytt lösenord"),
        validators=[InputRequired(message=_l("Välj ett lösenord."))],
        description=_l(
            "Minst 12 tecken. Flera vanliga ord i rad är lätt att minnas och svårt att gissa."
        ),
        render_kw={"autocomplete": "new-password", "minlength": 12, "maxlength": 128},
    )
    confirm = PasswordField(
        _l("Skriv lösenordet igen"),
        validators=[InputRequired(message=_l("Skriv lösenordet en gång till."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Nuvarande lösenord"),
        validators=[InputRequired(message=_l("Skriv ditt nuvarande lösenord."))],
        render_kw={"autocomplete": "current-password"},
    )
