# OS2hub: `make run` sets everything up and serves on http://127.0.0.1:$(PORT); `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in e-mails and the feeds' ids point here; `make run PORT=8001` moves them with the server.
SITE_URL ?= http://127.0.0.1:$(PORT)
# Tests run in parallel; override with `make test PYTEST_ARGS="-k supplier"`.
PYTEST_ARGS ?=

.PHONY: run test lint format messages check-deploy clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements-dev.lock pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 SITE_URL='$(SITE_URL)' $(BIN)/python manage.py load_demo
	DEBUG=1 SITE_URL='$(SITE_URL)' $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.installed
	cd os2hub && DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l da -l en --no-obsolete --add-location file
	cd os2hub && DEBUG=1 ../$(BIN)/python ../manage.py compilemessages

check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=os2hub.example \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
