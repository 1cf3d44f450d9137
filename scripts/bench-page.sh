#!/usr/bin/env bash
# The page's speed in headless Chromium, as tables: the page itself (bench/page.mjs: readiness,
# strokes, the forward pass, the training loop per worker count and backend), data parallelism
# on d2l's LeNet at batch 256 and 64 (bench/parallel.mjs: examples/s per worker count, the time
# spent passing messages), the textbook run — 10 epochs of Fashion-MNIST — on each backend
# (bench/lab-d2l.mjs), and d2l's LeNet at batch 256 against TensorFlow.js 4.22 on the same
# WebGPU adapter (bench/tfjs.mjs; it installs TF.js into the git-ignored bench/.tfjs/ once).
#
#   scripts/bench-page.sh [--runs N] [--seconds S] [--workers W]
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
CORES="$(node -e 'console.log(Math.max(2, require("os").availableParallelism()))')"
node bench/page.mjs "$@"
echo
node bench/parallel.mjs --workers "$CORES"
echo
node bench/lab-d2l.mjs --workers "$CORES"
echo
node bench/tfjs.mjs
