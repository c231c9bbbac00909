# The two commands of README.md: `make compare` (the main job) and `make test` (the whole suite).
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup compare run test test-fast lint lock bench bench-class bench-dashboard screenshots mutation clean-outputs

setup:
	@bash scripts/setup.sh

compare: setup
	$(BIN)/reform-compare

run: setup
	$(BIN)/reform-run

test: setup
	@bash scripts/test.sh

# the fast tier: no subprocess commands, sweeps, heavy model runs, browser or Ray (under a minute;
# docs/development.md)
test-fast: setup
	REFORM_FAST=1 $(BIN)/python -m pytest -q -n auto -m "not slow and not integration and not heavy and not browser and not ray"

lock:
	@bash scripts/lock.sh

lint: setup
	$(BIN)/ruff check simulation experiments analysis benchmarks tests
	$(BIN)/ruff format --check simulation experiments analysis benchmarks tests
	$(BIN)/lint-imports

bench: setup
	$(BIN)/reform-bench --out bench.json

# the pictures of docs/classroom.md and docs/dashboard.md, taken in Chromium from the model today
screenshots: setup
	bash scripts/browser_setup.sh
	$(BIN)/python -m pytest -q tests/classroom/test_classroom_screenshots.py
	mkdir -p docs/classroom
	for f in artifacts/classroom-*.png; do cp "$$f" "docs/classroom/$${f#artifacts/classroom-}"; done
	cp artifacts/dashboard-page.png docs/dashboard.png

# a class of sixty on one reform-class server, plus a hostile page (docs/dashboard.md)
bench-dashboard: setup
	bash scripts/browser_setup.sh
	$(BIN)/python -m benchmarks.dashboard_step --out artifacts/dashboard-step.json

bench-class: setup
	$(BIN)/python -m benchmarks.classroom_load --students 60 --seconds 60 --out artifacts/class-load-sixty.json

# mutation testing of the mechanisms (slow: see docs/testing.md)
mutation: setup
	@bash scripts/mutation.sh
