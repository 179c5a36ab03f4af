"""The demo park's report in headless Chromium: A4 print in at most 8 pages, no
horizontal overflow at 1400 px and 400 px, chart text at least 10 px on a phone and no
two chart labels overlapping. One demo report is built for the session
(``demo_report`` in conftest.py)."""

from __future__ import annotations

import json
import re
import struct

import pytest
from test_report_browser import CHROMIUM, chromium

MAX_PAGES = 8
MEASURE = """<script>
addEventListener("load", () => {
  const doc = document.documentElement;
  const out = {scroll: doc.scrollWidth, client: doc.clientWidth, minFont: 1e9, texts: 0,
               overlaps: []};
  for (const svg of document.querySelectorAll("svg")) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const boxes = [];
    for (const t of svg.querySelectorAll("text")) {
      out.minFont = Math.min(out.minFont, parseFloat(getComputedStyle(t).fontSize) * scale);
      out.texts += 1;
      boxes.push([t.getBoundingClientRect(), t.textContent]);
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, ta] = boxes[i], [b, tb] = boxes[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) out.overlaps.push(ta + " / " + tb);
    }
  }
  if (parent !== window) { parent.postMessage(JSON.stringify(out), "*"); return; }
  const pre = document.createElement("pre");
  pre.id = "measure";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""
# Headless Chromium's window is at least 500 px wide: a phone's 400 px viewport is an
# iframe of that width, whose page posts its measurements to the frame around it.
PHONE = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{src}" style="width:{width}px;height:2400px;border:0"></iframe>
<script>addEventListener("message", (e) => {{
  const pre = document.createElement("pre");
  pre.id = "measure";
  pre.textContent = e.data;
  document.body.appendChild(pre);
}});</script></body></html>"""


@pytest.fixture(scope="module")
def pages(demo_report):
    if CHROMIUM is None:
        pytest.skip("SKIPPED: Chromium is not installed (apt-get install -y chromium)")
    return demo_report.folder


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_month_prints_on_at_most_8_a4_pages(pages, tmp_path, lang):
    pdf = tmp_path / "report.pdf"
    html = pages / f"monthly_{lang}.html"
    result = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = pdf.read_bytes()
    assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]", data)  # A4
    assert 3 <= page_count(data) <= MAX_PAGES


def probe(pages, tmp_path, name: str, width: int):
    """The page with the measuring script, framed at ``width`` below 500 px."""
    page = (pages / name).read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>")
    measured = tmp_path / f"measured-{name}"
    measured.write_text(page, encoding="utf-8")
    if width >= 500:
        return measured
    frame = tmp_path / f"phone-{width}-{name}"
    frame.write_text(PHONE.format(src=measured.name, width=width), encoding="utf-8")
    return frame


def measure(pages, tmp_path, name: str, width: int) -> dict:
    page = probe(pages, tmp_path, name, width)
    result = chromium(
        tmp_path,
        f"--window-size={max(width, 500)},900",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(r'<pre id="measure">(.*?)</pre>', result.stdout)
    assert found, "the measuring script did not run"
    return json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<"))


@pytest.mark.parametrize("name", ["monthly_zh.html", "annual_zh.html"])
def test_phone_width_no_overflow_and_readable_charts(pages, tmp_path, name):
    m = measure(pages, tmp_path, name, 400)
    assert m["client"] <= 400
    assert m["scroll"] <= m["client"], f"overflows by {m['scroll'] - m['client']} px"
    assert m["texts"] > 50
    assert m["minFont"] >= 10.0 - 1e-6
    assert m["overlaps"] == []


def test_desktop_width_no_overflow_and_screenshots(pages, tmp_path):
    m = measure(pages, tmp_path, "monthly_zh.html", 1400)
    assert m["scroll"] <= m["client"] and m["overlaps"] == []
    for width in (1400, 400):
        png = tmp_path / f"report-{width}.png"
        html = probe(pages, tmp_path, "monthly_zh.html", width).as_uri()
        window = max(width, 500)
        result = chromium(tmp_path, f"--screenshot={png}", f"--window-size={window},2400", html)
        assert result.returncode == 0, result.stderr[-2000:]
        head = png.read_bytes()[:24]
        assert struct.unpack(">II", head[16:24]) == (window, 2400)
        assert png.stat().st_size > 40_000  # a rendered page, not a blank one
