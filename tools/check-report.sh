#!/usr/bin/env bash
# Opens deepclust's HTML pages in a real headless Chromium and fails (exit 1) on a console error,
# an uncaught exception, a failed load or an image that did not load (naturalWidth 0).
#
#   tools/check-report.sh runs/20240101-120000-cae            # its report.html
#   tools/check-report.sh comparisons/20240101-130000 runs/seeds/summary.html
#
# Each argument is an HTML page or a folder whose report.html, compare.html and summary.html are
# checked. The browser is $DEEPCLUST_CHROMIUM, else chromium / chromium-browser / google-chrome on
# the PATH (Debian: apt-get install chromium). It runs `deepclust report --check`, which starts
# Chromium with a throw-away profile, drives it over the DevTools protocol and ends it afterwards.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$#" -eq 0 ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
exec "$here/deepclust" report --check "$@"
