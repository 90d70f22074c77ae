#!/usr/bin/env bash
# Renders the HTML report of the bundled logs in headless Chromium, saves a screenshot
# to docs/report.png, and fails on any script error or console message.
#
#   scripts/html-screenshot.sh            # builds reglament (release), writes docs/report.png
#   REGLAMENT=path/to/reglament scripts/html-screenshot.sh
#   OUT=/tmp/shot.png HEIGHT=3000 scripts/html-screenshot.sh
#
# Installs Debian's `chromium` package when no chromium is on PATH (needs root and apt).
# The page is opened from a file with a fresh profile and no network features; the
# report's own Content-Security-Policy forbids every fetch, and a blocked fetch would
# show up as a console message, which fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-docs/report.png}
width=${WIDTH:-1280}
height=${HEIGHT:-2200}

chromium_bin=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium_bin" ]; then
    echo "html-screenshot: installing Debian's chromium package" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    chromium_bin=$(command -v chromium)
fi

reglament=${REGLAMENT:-}
if [ -z "$reglament" ]; then
    cargo build --release --locked --quiet
    reglament=target/release/reglament
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
page="$work/report.html"

# Exit code 1 means violations were found: expected for the bundled logs.
set +e
"$reglament" check --format html --out "$page"
code=$?
set -e
if [ "$code" -gt 1 ]; then
    echo "html-screenshot: reglament check exited with $code" >&2
    exit 1
fi

# One Chromium run: a fresh profile each time, no network, console to stderr.
run_chromium() {
    local profile="$work/profile-$1"
    shift
    timeout 120 "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0 \
        "$@" "file://$page"
}

# Chromium logs every console message and uncaught error as INFO:CONSOLE; the page
# logs nothing, so any such line is a failure.
check_console() {
    if grep -E 'CONSOLE|Uncaught|Refused to' "$1" >&2; then
        echo "html-screenshot: the page logged a script or console error (above)" >&2
        exit 1
    fi
}

# 1. The DOM after the page's script ran: it marks the document when it finished.
run_chromium dom --dump-dom >"$work/dom.html" 2>"$work/dom.log" || {
    cat "$work/dom.log" >&2
    exit 1
}
check_console "$work/dom.log"
if ! grep -q 'data-script="ok"' "$work/dom.html"; then
    echo "html-screenshot: the page's script did not run to its end" >&2
    exit 1
fi
if grep -q '<script>alert' "$work/dom.html"; then
    echo "html-screenshot: unescaped script from a log in the page" >&2
    exit 1
fi

# 2. A log with hostile names: were anything from it run as HTML, it would log to the
#    console (and an image would try to load, which the page's policy would refuse).
hostile="$work/hostile.jsonl"
cat >"$hostile" <<'LOG'
{"case": "<script>console.error('injected case')</script>", "service": "zhambyl-2016-84-survey-licence", "step": "sc_accept", "at": "2016-06-01T10:00:00+06:00", "provider": "\"><img src=x onerror=console.error('injected provider')>"}
{"case": "<script>console.error('injected case')</script>", "service": "zhambyl-2016-84-survey-licence", "step": "<b onclick=x>p_sign</b>", "at": "2016-06-01T11:00:00+06:00"}
{"case": "x</td></tr></table><svg onload=console.error('injected svg')>", "service": "<i>no such</i>", "step": "a", "at": "2016-06-01T10:00:00+06:00"}
LOG
main_page=$page
page="$work/hostile.html"
set +e
"$reglament" check "$hostile" --format html --out "$page"
code=$?
set -e
if [ "$code" -ne 1 ]; then
    echo "html-screenshot: the hostile log should give violations (exit 1), got $code" >&2
    exit 1
fi
run_chromium hostile --dump-dom >"$work/hostile-dom.html" 2>"$work/hostile.log" || {
    cat "$work/hostile.log" >&2
    exit 1
}
check_console "$work/hostile.log"
if ! grep -q 'data-script="ok"' "$work/hostile-dom.html" ||
    ! grep -qF "&lt;script&gt;console.error('injected case')&lt;/script&gt;" "$work/hostile-dom.html"; then
    echo "html-screenshot: hostile names are not shown as text" >&2
    exit 1
fi
page=$main_page

# 3. The screenshot.
mkdir -p "$(dirname "$out")"
run_chromium shot --hide-scrollbars --window-size="$width,$height" \
    --screenshot="$work/shot.png" >"$work/shot.out" 2>"$work/shot.log" || {
    cat "$work/shot.log" >&2
    exit 1
}
check_console "$work/shot.log"
if [ ! -s "$work/shot.png" ]; then
    echo "html-screenshot: chromium wrote no screenshot" >&2
    exit 1
fi
cp "$work/shot.png" "$out"
echo "html-screenshot: $out (${width}x${height}), no script or console error"
