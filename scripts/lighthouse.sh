#!/usr/bin/env bash
# Lighthouse (default mobile emulation and throttling) on the home page and one page of each
# kind of the bundled curriculum's mentee edition, served with gzip on 127.0.0.1.
# Not part of `cargo test`: it takes about 30 s a page. Needs chromium and Node.js;
# fetches the `lighthouse` npm package on first use.
#   scripts/lighthouse.sh [SITE_DIR]      (default: builds the bundled curriculum into a temp folder)
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-}"
if [ -z "$site" ]; then
  site="$(mktemp -d)/site"
  cargo run --release --quiet -- build --out "$site"
fi
# A free port, chosen by the server; its first line of output is its address.
fifo="$(mktemp -u)"; mkfifo "$fifo"
node tests/browser/serve.mjs "$site" > "$fifo" & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
read -r base < "$fifo"
rm -f "$fifo"
case "$base" in http://127.0.0.1:*) ;; *) echo "the server did not start" >&2; exit 1 ;; esac
pages=(
  "home|"
  "workshop|05-employment-agencies/"
  "lesson|05-employment-agencies/02-the-commission-cap/"
  "fact pattern|fact-patterns/agency-fees/"
  "referral directory|toolkit/referrals/"
  "search|search/?q=agency+fee"
)
report="$(mktemp -d)"
printf '%-20s %12s %14s %15s %5s\n' page performance accessibility best-practices seo
for entry in "${pages[@]}"; do
  name="${entry%%|*}"; path="${entry#*|}"
  CHROME_PATH=/usr/bin/chromium npx --yes lighthouse@12 "$base$path" \
    --quiet --output=json --output-path="$report/page.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    console.log(process.argv[2].padEnd(20), String(s("performance")).padStart(12), String(s("accessibility")).padStart(14), String(s("best-practices")).padStart(15), String(s("seo")).padStart(5));
  ' "$report/page.json" "$name"
done
