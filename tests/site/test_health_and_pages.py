from tests.conftest import text_of
from tests.factories import NetworkFactory


def test_healthz_answers_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_start_page_lists_public_networks_only(client):
    NetworkFactory(name="Nätverket i Ålsäter", public=True)
    NetworkFactory(name="Det hemliga nätverket", public=False)
    page = text_of(client.get("/"))
    assert "Nätverket i Ålsäter" in page
    assert "Det hemliga nätverket" not in page


def test_pages_are_swedish_by_default(client):
    response = client.get("/")
    assert '<html lang="sv">' in response.get_data(as_text=True)
    assert "Hoppa till innehållet" in text_of(response)


def test_healthz_is_not_redirected_to_https_in_production(make_app):
    app = make_app(ENV="production", TESTING=False, SECRET_KEY="x" * 40)
    response = app.test_client().get("/healthz", base_url="http://10.0.0.5")
    assert response.status_code == 200
