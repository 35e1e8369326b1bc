"""Signing in and out: argon2, session versions, throttling."""

import pytest
import sqlalchemy as sa

from grants.extensions import db
from grants.members.models import User
from tests.conftest import text_of
from tests.factories import PASSWORD, NetworkFactory, UserFactory, coordinator_of


@pytest.fixture
def person(app):
    network = NetworkFactory(slug="uddevalla")
    return coordinator_of(network, email="anna@example.se", name="Anna Andersson")


def test_a_person_signs_in_with_e_mail_and_password(client, person):
    response = client.login("Anna@Example.se", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/n/uddevalla/")
    assert "Anna Andersson" in text_of(client.get("/n/uddevalla/"))


def test_passwords_are_stored_as_argon2_hashes(app, person):
    assert person.password_hash.startswith("$argon2id$")
    assert PASSWORD not in person.password_hash


def test_a_wrong_password_and_an_unknown_e_mail_get_the_same_message(client, person):
    wrong = client.login("anna@example.se", "fel lösenord helt och hållet")
    unknown = client.login("okand@example.se", "fel lösenord helt och hållet")
    assert wrong.status_code == unknown.status_code == 400
    assert "Fel e-postadress eller lösenord." in text_of(wrong)
    assert "Fel e-postadress eller lösenord." in text_of(unknown)


def test_an_invited_person_without_a_password_cannot_sign_in(client, app):
    UserFactory(email="inbjuden@example.se", password_hash=None)
    assert client.login("inbjuden@example.se", "").status_code == 400
    assert client.login("inbjuden@example.se", "vad som helst här").status_code == 400


def test_after_five_failures_the_account_waits(client, person):
    for _ in range(5):
        assert client.login("anna@example.se", "fel fel fel fel fel").status_code == 400
    blocked = client.login("anna@example.se", PASSWORD)
    assert blocked.status_code == 429
    assert "För många misslyckade inloggningsförsök" in text_of(blocked)
    assert "Vänta 15 minuter" in text_of(blocked)


def test_the_same_wait_applies_to_an_unknown_e_mail(client, person):
    for _ in range(5):
        client.login("okand@example.se", "fel fel fel fel fel")
    assert client.login("okand@example.se", "fel fel fel fel fel").status_code == 429


def test_colleagues_behind_one_address_do_not_lock_each_other_out(client, person):
    """A town hall's or a library's shared address: ten people mistyping once each."""
    for number in range(10):
        assert client.login(f"kollega{number}@example.se", "fel fel fel fel").status_code == 400
    assert client.login("anna@example.se", PASSWORD).status_code == 302


def test_failures_from_one_address_against_many_accounts_are_throttled_at_its_own_count(
    make_app, person
):
    app = make_app(LOGIN_ADDRESS_MAX_FAILURES=12)
    client = app.test_client()
    for number in range(12):
        client.login(f"gissning{number}@example.se", "fel fel fel fel fel")
    # The address is now blocked, even for a real account with the right password.
    blocked = client.login("anna@example.se", PASSWORD)
    assert blocked.status_code == 429
    assert "För många misslyckade inloggningsförsök" in text_of(blocked)


def test_an_address_counts_fifty_failures_by_default(app):
    assert (app.config["LOGIN_MAX_FAILURES"], app.config["LOGIN_ADDRESS_MAX_FAILURES"]) == (5, 50)


def test_a_success_clears_the_account_count(client, person):
    for _ in range(4):
        client.login("anna@example.se", "fel fel fel fel fel")
    assert client.login("anna@example.se", PASSWORD).status_code == 302


def test_logout_ends_a_copied_session_cookie(app, person):
    browser = app.test_client()
    browser.login("anna@example.se", PASSWORD)
    stolen_cookie = browser.get_cookie("grants_session").value
    thief = app.test_client()
    thief.set_cookie("grants_session", stolen_cookie)
    assert thief.get("/auth/account").status_code == 200
    browser.submit("/auth/logout", page="/auth/account")
    response = thief.get("/auth/account")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_logout_needs_a_post_with_csrf(client, person):
    client.login("anna@example.se", PASSWORD)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/auth/account").status_code == 200


def test_a_password_change_ends_every_other_session(app, person):
    laptop, phone = app.test_client(), app.test_client()
    laptop.login("anna@example.se", PASSWORD)
    phone.login("anna@example.se", PASSWORD)
    new_password = "ett helt nytt långt lösenord"
    response = laptop.submit(
        "/auth/account",
        {"current_password": PASSWORD, "password": new_password, "confirm": new_password},
        page="/auth/account",
    )
    assert response.status_code == 302
    assert laptop.get("/auth/account").status_code == 200
    assert phone.get("/auth/account").status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "anna@example.se"))
    assert user.password_changed_at is not None


def test_the_wrong_current_password_changes_nothing(client, person):
    client.login("anna@example.se", PASSWORD)
    before = person.password_hash
    response = client.submit(
        "/auth/account",
        {"current_password": "inte rätt alls", "password": "x" * 20, "confirm": "x" * 20},
        page="/auth/account",
    )
    assert response.status_code == 400
    assert "nuvarande lösenordet är fel" in text_of(response)
    db.session.refresh(person)
    assert person.password_hash == before


def test_next_only_leads_to_pages_on_this_site(client, person):
    response = client.submit(
        "/auth/login?next=https://evil.example/",
        {"email": "anna@example.se", "password": PASSWORD},
        page="/auth/login",
    )
    assert response.headers["Location"].endswith("/n/uddevalla/")
    client.submit("/auth/logout", page="/auth/account")
    response = client.submit(
        "/auth/login?next=/auth/account",
        {"email": "anna@example.se", "password": PASSWORD},
        page="/auth/login",
    )
    assert response.headers["Location"].endswith("/auth/account")
