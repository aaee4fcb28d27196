#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/services.sh
export ESPRESSO_TEST_POSTGRES=${ESPRESSO_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}
# Fail, rather than skip, when PostgreSQL or chromium is missing.
export ESPRESSO_REQUIRE_SERVICES=1
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports
exec .venv/bin/python -m pytest -q "$@"
