# The two commands of the README: `make run` and `make test`. Everything else helps them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app grants
CATALOGS := $(wildcard grants/translations/*/LC_MESSAGES/messages.po)

.PHONY: run test lint install translations messages serve clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed

translations: install $(CATALOGS:.po=.mo)

grants/translations/%/LC_MESSAGES/messages.mo: grants/translations/%/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d grants/translations -l $*

## make run: set up, migrate, load the demo network when the database is empty, serve.
run: translations
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	@echo "Serving on http://127.0.0.1:5000  (mail is printed here; stop with Ctrl-C)"
	./scripts/dev-serve

## make test: set up, lint, and run the whole suite (PostgreSQL too when TEST_DATABASE_URL is set).
test: lint translations
	$(BIN)/pytest -n $(or $(JOBS),auto)

## make bench: the main pages against the floor page, on SQLite and PostgreSQL (see docs/benchmarks.md).
bench: translations
	$(BIN)/python -m bench.run --backend both --scale $(or $(SCALE),regional)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_regexes.py grants

## make messages: extract the translatable strings and merge them into the catalogues.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o grants/translations/messages.pot .
	$(BIN)/pybabel update -i grants/translations/messages.pot -d grants/translations \
		--no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
