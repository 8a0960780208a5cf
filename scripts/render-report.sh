#!/usr/bin/env bash
# Renders the report of the 2010 status quo and its five options to PNG with
# headless Chromium, so that a person can look at it. Not part of the test
# suite: tests parse the HTML instead.
#
#   scripts/render-report.sh [OUT_DIR]
#
# Needs Debian's Chromium (`apt-get install chromium`). Writes
# OUT_DIR/report.html and OUT_DIR/report.png (default: target/report).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/report}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cargo run --quiet --release -- report \
  fixtures/proposals/status-quo-2010.toml fixtures/proposals/option-*.toml \
  -o "$out/report.html"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "error: Chromium is not installed; run \`apt-get install chromium\`" >&2
  exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# A fresh profile, no network activity of its own, no sandbox (it runs as
# root in containers), a tall window to see the matrices and the first
# findings.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --no-first-run --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --window-size="${WIDTH:-1280},${HEIGHT:-2400}" \
  --screenshot="$out/report.png" "file://$out/report.html" 2>/dev/null
echo "$out/report.png"
