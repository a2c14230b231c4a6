# The two commands a new user needs: `make demo` and `make test`.
.PHONY: setup demo test test-postgres lint check

VENV := .venv/bin

setup:
	@scripts/bootstrap.sh

demo: setup
	@TIEUCHI_HTTPS=$${TIEUCHI_HTTPS:-0} $(VENV)/tieuchi demo

test: setup
	@$(VENV)/pytest -q

test-postgres: setup
	@TIEUCHI_DATABASE_URL=$${TIEUCHI_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tieuchi} $(VENV)/pytest -q

lint: setup
	@$(VENV)/ruff check . && $(VENV)/ruff format --check . && $(VENV)/lint-imports
