# The two commands a newcomer needs: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGE_VENV := .venv-package
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run run-aws zappa-run-aws test package package-venv translations extract-messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

# catalogues are compiled here, never by hand; the .mo files are not committed
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.runtime-installed
	$(BIN)/pybabel compile --use-fuzzy=false -i $< -o $@ 2>/dev/null || $(BIN)/pybabel compile -i $< -o $@

translations: $(COMPILED)

run: $(VENV)/.runtime-installed translations
	$(BIN)/flask --app app icp prepare-local
	$(BIN)/flask --app app run --host 127.0.0.1 --port 5000

# the aws backend (DynamoDB, S3, SSM) on a moto server on 127.0.0.1:5001, with demo data; no AWS account needed
PORT ?= 5000
MOTO_PORT ?= 5001
run-aws: $(VENV)/.dev-installed translations
	$(BIN)/python -m tools.run_aws --port $(PORT) --moto-port $(MOTO_PORT)

test: $(VENV)/.dev-installed translations
	@# the suite runs on every core (each test file on one worker: the Zappa tests share one built package)
	$(BIN)/python -m pytest -n auto --dist loadfile

# after changing user-facing text: extract it and merge it into each catalogue, then translate the new entries
extract-messages: $(VENV)/.runtime-installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -k _n:1,2 -k _p:1c,2 -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations

# the Lambda package is built from a virtualenv that holds only the runtime requirements (plus zappa itself),
# because Zappa bundles the whole active virtualenv
package-venv:
	@# made again from nothing when requirements.txt changed since the last install, so a requirement dropped
	@# from it leaves the package too; repeat builds need no network
	test $(PACKAGE_VENV)/.installed -nt requirements.txt || { rm -rf $(PACKAGE_VENV) && \
		$(PYTHON) -m venv $(PACKAGE_VENV) && $(PACKAGE_VENV)/bin/pip install --quiet \
		-r requirements.txt zappa==0.63.0 && touch $(PACKAGE_VENV)/.installed; }

package: translations package-venv
	mkdir -p dist
	@# Jinja bytecode of every template, compiled by the runtime's Python, carried by the package
	ICP_DATA_DIR=$$(mktemp -d) $(PACKAGE_VENV)/bin/flask --app app icp compile-templates
	@# --json skips Zappa's version check against PyPI; use_precompiled_packages is off, so nothing is downloaded
	VIRTUAL_ENV=$(abspath $(PACKAGE_VENV)) PATH=$(abspath $(PACKAGE_VENV))/bin:$$PATH \
		$(PACKAGE_VENV)/bin/zappa package dev --json --disable_progress -o dist/icp-filing-dev.zip
	@ls -l dist/icp-filing-dev.zip

# with `make run-aws` running: Zappa's own commands on the dev stage against its moto server, never AWS
# (e.g. make zappa-run-aws ZAPPA="update schedule"); Zappa builds the package from the package virtualenv
ZAPPA ?= deploy
zappa-run-aws: translations package-venv
	VIRTUAL_ENV=$(abspath $(PACKAGE_VENV)) PATH=$(abspath $(PACKAGE_VENV))/bin:$$PATH \
		$(PACKAGE_VENV)/bin/python -m tools.run_aws --moto-port $(MOTO_PORT) zappa $(ZAPPA)

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(PACKAGE_VENV) dist translations/*/LC_MESSAGES/*.mo
