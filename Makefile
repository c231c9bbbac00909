# The two commands of README.md: `make compare` (the main job) and `make test` (the whole suite).
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup compare run test lint bench clean-outputs

setup:
	@bash scripts/setup.sh

compare: setup
	$(BIN)/reform-compare

run: setup
	$(BIN)/reform-run

test: setup
	@bash scripts/test.sh

lint: setup
	$(BIN)/ruff check simulation experiments analysis tests
	$(BIN)/ruff format --check simulation experiments analysis tests
	$(BIN)/lint-imports

bench: setup
	$(BIN)/reform-bench --out bench.json
