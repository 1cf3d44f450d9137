#!/usr/bin/env bash
# README command 2: install what is missing, then run every test:
#   1. the native Rust tests          cargo test --workspace
#   2. a short fuzz of every parser   cargo run -p fuzz -- all 30s   (FUZZ_TIME=2m for longer)
#   3. the core in Chromium           wasm-pack test --headless --chrome crate --lib --test '*'
#   4. the page in headless Chromium  node --test tests/   (playwright-core + Debian's chromium),
#                                     served from dist/, which scripts/build.sh writes first
#
# Installs, when missing: everything scripts/serve.sh does, plus Debian's chromium,
# chromium-driver and mesa-vulkan-drivers (WebGPU on the CPU through lavapipe).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/install.sh"

ensure_wasm_tools
ensure_data
ensure_python
ensure_browser

cd "$ROOT"
# Mesa warns on every start when it has no runtime directory.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
# wasm-pack and wasm-bindgen-test-runner use this driver instead of downloading one.
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The GPU agreement tests run on SwiftShader, WebGPU emulated on the CPU: slower per test than
# wasm-bindgen-test's default limit of 20 seconds allows.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-600}"

say "1/4 native tests: cargo test --workspace"
cargo test --workspace

# The dev profile keeps overflow checks on; the seed corpus (fuzz/corpus/) runs first. A finding
# is written to fuzz/artifacts/ and fails the step.
say "2/4 fuzz every parser for ${FUZZ_TIME:-30s} each: cargo run -p fuzz -- all ${FUZZ_TIME:-30s}"
cargo run -q -p fuzz -- all "${FUZZ_TIME:-30s}"

say "3/4 wasm tests in headless Chromium: wasm-pack test --headless --chrome crate"
# `--lib --test '*'`: the library's and the integration tests only. Examples, benches and the
# CLI are native tools that need not build for wasm32, and doc-tests do not run there.
wasm-pack --log-level warn test --headless --chrome crate --lib --test '*'

say "4/4 page tests in headless Chromium: node --test tests/ (on the site scripts/build.sh writes)"
scripts/build.sh
node --test tests/

say "all tests passed"
