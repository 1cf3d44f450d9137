#!/usr/bin/env bash
# README command 1: install what is missing, build the static site dist/ (scripts/build.sh: the
# wasm core, the page, the datasets) and serve it.
#
#   scripts/serve.sh [PORT]        (default 8080, or $PORT)
#
# Installs, when missing: what scripts/build.sh installs (the wasm32 Rust target, wasm-pack,
# wasm-bindgen-cli at the version in Cargo.lock, the npm packages, Debian's dataset-fashion-mnist)
# and python3 for the server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/install.sh"

PORT="${1:-${PORT:-8080}}"

ensure_python
"$ROOT/scripts/build.sh"

say "open http://localhost:$PORT/ (Ctrl-C stops the server)"
cd "$ROOT"
exec python3 scripts/server.py --port "$PORT" --root dist
