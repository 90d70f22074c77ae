#!/usr/bin/env bash
# Prints the HTML report of the bundled logs to an A4 PDF in headless Chromium, as an
# inspector prints it to attach to an act of inspection, and reads its text back.
#
#   scripts/html-print.sh                 # builds reglament, writes target/print/report-ru.pdf and .txt
#   REPORT_LANG=kk scripts/html-print.sh  # the Kazakh report
#   REGLAMENT=path/to/reglament OUT_DIR=/tmp/print scripts/html-print.sh
#   PAGE_PNG=1 scripts/html-print.sh      # also the first page as PNG (pdftoppm), for the README
#
# Installs Debian's chromium and poppler-utils (pdftotext) when missing (needs root and
# apt). Chromium runs with a fresh profile and no network features; its own header and
# footer (with the file:// path) are turned off: the page's @page rules print the
# report's title, the provider and page numbers instead. tests/print_pdf.rs runs this
# and finds every violation's deadline and file:line in the PDF's text.
set -euo pipefail
cd "$(dirname "$0")/.."

lang=${REPORT_LANG:-ru}
out_dir=${OUT_DIR:-target/print}
as_of=${AS_OF:-2016-08-01T00:00:00+06:00}

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
    echo "html-print: installing Debian's ${need[*]}" >&2
    as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

reglament=${REGLAMENT:-}
if [ -z "$reglament" ]; then
    cargo build --release --locked --quiet
    reglament=target/release/reglament
fi

mkdir -p "$out_dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
page="$work/report.html"
pdf="$out_dir/report-$lang.pdf"

# Exit code 1 means violations were found: expected for the bundled logs.
set +e
"$reglament" check --as-of "$as_of" --lang "$lang" --format html --out "$page"
code=$?
set -e
if [ "$code" -gt 1 ]; then
    echo "html-print: reglament check exited with $code" >&2
    exit "$code"
fi

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --no-pdf-header-footer \
    --print-to-pdf="$pdf" "file://$page" 2>"$work/chromium.log" || {
    cat "$work/chromium.log" >&2
    exit 1
}
[ -s "$pdf" ] || { echo "html-print: no PDF written" >&2; cat "$work/chromium.log" >&2; exit 1; }
pdftotext -layout "$pdf" "$out_dir/report-$lang.txt"
if [ -n "${PAGE_PNG:-}" ]; then
    pdftoppm -png -r 60 -f 1 -l 1 "$pdf" "$out_dir/page-$lang"
fi
echo "$pdf"
