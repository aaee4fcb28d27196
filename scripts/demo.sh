#!/usr/bin/env bash
# Run the stall on this machine: installs, then `espresso demo` on the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/espresso demo "$@"
