#!/usr/bin/env bash
# The page's memory over a long training run, in headless Chromium (see bench/soak.mjs): the JS
# heap and WebAssembly memory of the page and of the training worker, and the GPU buffers the
# worker holds, printed every minute. Not a test: it prints, a person reads.
#
#   scripts/soak.sh                    # 5 minutes on WebGPU (SwiftShader), a sample a minute
#   scripts/soak.sh --minutes 60       # the hour-long soak
#   scripts/soak.sh --cpu              # the WebAssembly CPU path instead of WebGPU
#
# Installs what is missing (as scripts/test.sh does) and builds the site (scripts/build.sh) first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/install.sh"

ensure_browser
ensure_python
"$ROOT/scripts/build.sh"
cd "$ROOT"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
exec node bench/soak.mjs "$@"
