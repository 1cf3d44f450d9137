#!/usr/bin/env bash
# The page's speed in headless Chromium, as a table (see bench/page.mjs for what each figure is).
#
#   scripts/bench-page.sh [--runs N] [--seconds S]
#
# Installs what is missing (as scripts/test.sh does) and builds the site (scripts/build.sh) first.
# Run it on an otherwise idle machine: it reports medians, but two busy cores still skew them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/install.sh"

ensure_browser
ensure_python
"$ROOT/scripts/build.sh"
cd "$ROOT"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
exec node bench/page.mjs "$@"
