#!/usr/bin/env bash
# Makes docs/report-screenshot.png: the first screen of data/dl-project's report.html as
# headless Chromium shows it (1200 × 1000, offline), for the README. Needs chromium
# (apt-get install -y chromium). Usage: docs/screenshot.sh [p80 binary]
set -euo pipefail
cd "$(dirname "$0")/.."
p80=${1:-target/release/p80}
[ -x "$p80" ] || { cargo build --release; p80=target/release/p80; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$p80" report data/dl-project/project.toml --out "$work/out" --quiet
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run \
  --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1200,1000 \
  --screenshot="$PWD/docs/report-screenshot.png" "file://$work/out/report.html" 2>/dev/null
echo "wrote docs/report-screenshot.png"
