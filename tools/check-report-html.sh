#!/usr/bin/env bash
# Checks that `vquant report --html` renders in a real browser (headless Chromium), offline:
#   tools/check-report-html.sh [PAGE.html] [SCREENSHOT.png]
# Without PAGE it writes one with `./vquant report --quick --no-accuracy --model mnist_cnn --html`.
# Chromium: Debian's `chromium` package (apt-get install -y chromium; needs root and Debian's mirror
# the first time). The page is opened from a file:// URL with networking cut off by a proxy that
# does not exist, so anything the page tried to fetch would fail to draw.
# Passes when the DOM after the scripts ran holds both charts drawn by ECharts (an <svg> in each
# chart element, the page's data-charts="drawn" marker) and every model name in the charts' text;
# then it leaves the screenshot (default target/report-check.png) to look at.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
page="${1:-}"
shot="${2:-$root/target/report-check.png}"
mkdir -p "$(dirname "$shot")"
if [ -z "$page" ]; then
  page="$root/target/report-check.html"
  "$root/vquant" report --quick --no-accuracy --model mnist_cnn --html "$page" >/dev/null
fi
[ -f "$page" ] || { echo "check-report-html: no page $page" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    browser="$(command -v chromium)"
  else
    echo "check-report-html: needs Chromium (Debian: apt-get install -y chromium)" >&2; exit 2
  fi
fi
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --proxy-server=127.0.0.1:9 --virtual-time-budget=10000)
dom="$(mktemp)"
trap 'rm -f "$dom"' EXIT
"$browser" "${flags[@]}" --dump-dom "$url" 2>/dev/null >"$dom"
"$browser" "${flags[@]}" --window-size=1200,1500 --screenshot="$shot" "$url" 2>/dev/null >/dev/null
fail=0
grep -q 'data-charts="drawn"' "$dom" || { echo "FAIL: the chart script did not finish (no data-charts=\"drawn\")"; fail=1; }
for id in speedup latency; do
  python3 - "$dom" "$id" <<'PY' || fail=1
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
i = dom.find('id="%s"' % sys.argv[2])
seg = dom[i:i + 400000] if i >= 0 else ""
end = seg.find('<h2')
seg = seg[:end] if end > 0 else seg
ok = i >= 0 and "<svg" in seg and seg.count("<path") + seg.count("<rect") > 5
print(("ok:   " if ok else "FAIL: ") + "chart #%s drawn as SVG by ECharts (%d path/rect elements)" % (sys.argv[2], seg.count("<path") + seg.count("<rect")))
sys.exit(0 if ok else 1)
PY
done
python3 - "$dom" "$page" <<'PY' || fail=1
import json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
i = dom.find('id="speedup"')
dom = dom[i:dom.find('<table', i)]  # the two charts, not the tables
page = open(sys.argv[2], encoding="utf-8").read()
data = json.loads(re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S).group(1).replace("<\\/", "</"))
models = sorted({r["model"] for r in data["rows"]})
missing = [m for m in models if ">" + m + "<" not in dom]
print(("ok:   " if not missing else "FAIL: ") + "model names drawn in the charts: %s%s" % (models, " missing " + str(missing) if missing else ""))
sys.exit(0 if not missing else 1)
PY
[ -s "$shot" ] && echo "screenshot: $shot" || { echo "FAIL: no screenshot"; fail=1; }
exit $fail
