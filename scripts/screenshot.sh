#!/bin/sh
# Makes docs/report.png, the README's picture of the HTML report: builds
# crm-audit, audits the example company as of 27.11.2026 02:00 with the
# built-in regulation plus a CRM link template, and has headless Chromium
# take a screenshot of the page.
#
#   scripts/screenshot.sh [OUT.png]      (default docs/report.png)
#
# Needs Debian's chromium (`apt-get install -y chromium`); installs it when
# run as root and it is missing.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/docs/report.png"}
case $out in /*) ;; *) out="$(pwd)/$out" ;; esac
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
        echo "screenshot.sh: $chromium is missing; install Debian's chromium package" >&2
        exit 2
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/release/crm-audit"
# The built-in regulation, with deal links into an example CRM account.
# Named as a company's file is, so the report's header reads
# "(из crm-audit.toml)", not a temporary path.
if grep -q '^crm-url' rules/regulation.toml; then
    cp rules/regulation.toml "$work/crm-audit.toml"
else
    sed '/^time-zone = /a crm-url = "https://example.amocrm.ru/leads/detail/{id}"' \
        rules/regulation.toml >"$work/crm-audit.toml"
fi
status=0
(cd "$work" && "$bin" audit "$root/examples/amocrm" --as-of "2026-11-27 02:00" \
    --rules crm-audit.toml --output report.html) || status=$?
if [ "$status" -gt 1 ]; then
    echo "screenshot.sh: crm-audit failed (exit $status)" >&2
    exit "$status"
fi

"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" \
    --screenshot="$work/report.png" --window-size=1280,1800 \
    "file://$work/report.html" >/dev/null 2>&1
mkdir -p "$(dirname "$out")"
mv "$work/report.png" "$out"
echo "wrote $out"
