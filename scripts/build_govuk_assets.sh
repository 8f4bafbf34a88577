#!/usr/bin/env bash
# Rebuild the vendored GOV.UK Frontend assets in fulfil/static/govuk/.
#
# Maintainer-only: needs Node.js + npm and access to the npm registry.
# NOT run by CI and not needed at runtime: the output is committed to the repo.
#
# What it does:
#   1. Installs pinned govuk-frontend + sass into a scratch dir.
#   2. Compiles GOV.UK Frontend's Sass with the Arial font stack (no GDS
#      Transport, no @font-face: GDS Transport is only licensed for services on
#      GOV.UK) and asset URLs under /static/govuk/assets/.
#   3. Copies the precompiled ES-module JS bundle, the images and manifest.json
#      (NOT the fonts) and writes LICENSE.txt.
#
# Usage: scripts/build_govuk_assets.sh            (scratch dir from mktemp)
#        BUILD_DIR=/tmp/govuk-build scripts/build_govuk_assets.sh
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.6.0"
SASS_VERSION="1.108.2"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$REPO_ROOT/fulfil/static/govuk"
BUILD_DIR="${BUILD_DIR:-$(mktemp -d -t govuk-build.XXXXXX)}"
ASSETS_URL_PATH="/static/govuk/assets/"

echo "Building govuk-frontend@$GOVUK_FRONTEND_VERSION with sass@$SASS_VERSION in $BUILD_DIR"
mkdir -p "$BUILD_DIR"
cd "$BUILD_DIR"
[ -f package.json ] || npm init -y >/dev/null
# --ignore-scripts: sass is pure JS; the only install script is @parcel/watcher's
# (optional, used by `sass --watch`), which we don't need.
npm install --no-audit --no-fund --save-exact --ignore-scripts \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" "sass@$SASS_VERSION"

PKG="$BUILD_DIR/node_modules/govuk-frontend"
DIST="$PKG/dist/govuk"
installed="$(node -p "require('$PKG/package.json').version")"
[ "$installed" = "$GOVUK_FRONTEND_VERSION" ] || { echo "got govuk-frontend $installed, expected $GOVUK_FRONTEND_VERSION" >&2; exit 1; }

# Entry point. Variable names from dist/govuk/settings/_typography-font.scss and
# dist/govuk/settings/_assets.scss.
cat > fulfil-govuk.scss <<EOF
@use "pkg:govuk-frontend" as * with (
  \$govuk-font-family: (arial, sans-serif),
  \$govuk-include-default-font-face: false,
  \$govuk-assets-path: "$ASSETS_URL_PATH"
);
EOF

npx --no-install sass --pkg-importer=node --load-path=node_modules \
  --style=compressed --no-source-map \
  fulfil-govuk.scss govuk-frontend.min.css

# Sanity checks on the compiled CSS.
if grep -q "GDS Transport" govuk-frontend.min.css; then
  echo "ERROR: compiled CSS mentions GDS Transport" >&2; exit 1
fi
if grep -q "@font-face" govuk-frontend.min.css; then
  echo "ERROR: compiled CSS contains @font-face" >&2; exit 1
fi
if grep -o 'url([^)]*)' govuk-frontend.min.css | grep -v "url(\"\?$ASSETS_URL_PATH" ; then
  echo "ERROR: compiled CSS has url()s outside $ASSETS_URL_PATH (listed above)" >&2; exit 1
fi

# Install into the repo.
rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR/assets"
cp govuk-frontend.min.css "$OUT_DIR/govuk-frontend.min.css"
# The bundle is an ES module (ends with `export{...,initAll,...}`): load it with
# <script type="module">. Drop its trailing sourceMappingURL comment because we
# don't vendor the .map file (a dangling reference makes Django's
# ManifestStaticFilesStorage collectstatic fail).
sed -e 's|//# sourceMappingURL=govuk-frontend\.min\.js\.map$||' \
  "$DIST/govuk-frontend.min.js" > "$OUT_DIR/govuk-frontend.min.js"
cp -R "$DIST/assets/images" "$OUT_DIR/assets/images"
if [ -f "$DIST/assets/manifest.json" ]; then
  cp "$DIST/assets/manifest.json" "$OUT_DIR/assets/manifest.json"
fi
# Deliberately NOT copying $DIST/assets/fonts (GDS Transport).

# LICENSE: use the package's own file if it ships one; the 6.x npm tarball
# doesn't, so fall back to the MIT text from the upstream repo's LICENSE.txt
# (https://github.com/alphagov/govuk-frontend/blob/main/LICENSE.txt).
{
  echo "GOV.UK Frontend (npm: govuk-frontend) version $GOVUK_FRONTEND_VERSION"
  echo "Vendored by scripts/build_govuk_assets.sh; CSS compiled with sass $SASS_VERSION (Arial font stack)."
  echo
  lic="$(ls "$PKG"/LICENSE* "$PKG"/LICENCE* 2>/dev/null | head -n1 || true)"
  if [ -n "$lic" ]; then
    cat "$lic"
  else
    cat <<'EOF'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF
  fi
} > "$OUT_DIR/LICENSE.txt"

echo "Done. Files in $OUT_DIR:"
find "$OUT_DIR" -type f | sort | sed "s|^$REPO_ROOT/||"
