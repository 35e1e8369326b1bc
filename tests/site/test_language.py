"""Swedish first, English on request; only sv and en are accepted."""

from babel.messages.pofile import read_po

from grants import ROOT
from tests.conftest import text_of
from tests.factories import PASSWORD, NetworkFactory, coordinator_of


def test_lang_en_switches_the_page_and_is_remembered(client, app):
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "Skip to content" in text_of(response)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    client.get("/?lang=sv")
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)


def test_the_header_switch_changes_language_and_returns_to_the_page(client, app):
    NetworkFactory(slug="uddevalla")
    response = client.submit("/language", {"lang": "en", "next": "/n/uddevalla/rules"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/n/uddevalla/rules")
    assert '<html lang="en">' in client.get("/n/uddevalla/rules").get_data(as_text=True)


def test_the_switch_never_leads_off_the_site(client, app):
    response = client.submit("/language", {"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_signed_in_person_keeps_their_language(client, app):
    network = NetworkFactory(slug="uddevalla")
    person = coordinator_of(network)
    client.login(person.email, PASSWORD)
    client.submit("/language", {"lang": "en", "next": "/"})
    from grants.extensions import db

    db.session.refresh(person)
    assert person.locale == "en"


def test_other_languages_and_header_tricks_are_ignored(client, app, inputs):
    for value in inputs["lang"]["invalid"]:
        response = client.get("/", query_string={"lang": value})
        assert response.status_code == 200
        assert '<html lang="sv">' in response.get_data(as_text=True)
        assert "a=b" not in response.headers.get("Set-Cookie", "")


def test_every_string_has_an_english_translation():
    with (ROOT / "grants/translations/en/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalog = read_po(po_file)

    def translated(message):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return all(strings)

    missing = [message.id for message in catalog if message.id and not translated(message)]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert missing == [] and fuzzy == []


def test_the_catalogue_holds_every_string_in_the_code():
    """Run `make messages` after adding strings; this fails until you do.

    Extracted as `make messages` does, with babel.cfg's Jinja extensions; and every
    template that has a string must give one: Babel skips a template it cannot parse
    without a word (the funded page's strings were missing from the catalogue so).
    """
    from babel.messages.extract import extract, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "grants/translations/en/LC_MESSAGES/messages.po").open("rb") as po_file:
        known = {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(po_file)
            if message.id
        }
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
    found = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(ROOT), method_map, options_map=options_map, keywords=keywords
        )
    }
    assert sorted(found - known) == []
    html_options = options_map["templates/**.html"]
    silent = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        source = template.read_text(encoding="utf-8")
        if '_("' not in source:
            continue
        with template.open("rb") as handle:
            if not list(extract("jinja2", handle, keywords=keywords, options=html_options)):
                silent.append(str(template.relative_to(ROOT)))
    assert silent == [], "Babel could not parse these templates"
