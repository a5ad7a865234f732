#!/usr/bin/env python3
"""Check HTML reports in headless Chromium (tests/html/run.sh runs this).

    check.py [options] FILE.html

Prints one "ok - ..." or "not ok - ...: why" line per check; exit 0. The
generic checks hold for any exhunt page (a scan report, a fleet page):

  - it loads, and the only request is the file itself;
  - no script error, no console error, no browser log error or warning (a
    Content-Security-Policy violation is one);
  - a CSP <meta> with default-src 'none', and every <script> element on the
    page is allowed by a 'sha256-...' in it;
  - nothing injected ran or exists: window.__pwned unset, the title has no
    "pwned", no img/iframe/object/embed/link/base/form elements, no on*
    attributes, no link other than to the page itself (#...);
  - with JavaScript disabled the page still shows its content.

Options add the checks of an `exhunt scan -f html` report:
  --verdict V        the verdict heading says V; the timeline picture has a size;
                     severity and stage filters hide exactly their findings; print
                     media hides the filters; without JavaScript no filter shows and
                     every finding is there
  --text S           the page's text contains S (repeatable)
  --screenshot PNG   save a 1200-pixel-wide screenshot (at most --height tall)
  --timeout S        per-step limit (default 60)
"""

import argparse
import base64
import hashlib
import os
import re
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, CDPError, find_chromium  # noqa: E402


class Results:
    def __init__(self, name):
        self.name = name

    def check(self, ok, what, detail=""):
        if ok:
            print("ok - %s: %s" % (self.name, what))
        else:
            print("not ok - %s: %s%s" % (self.name, what, (": " + str(detail)[:400]) if detail else ""))
        sys.stdout.flush()
        return ok


INJECTED = """(() => {
  const bad = document.querySelectorAll('img,iframe,object,embed,link,base,form,frame,meta[http-equiv="refresh" i]').length;
  let on = 0, links = 0;
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (/^on/i.test(a.name)) on++;
    if (el.hasAttribute('href') && !el.getAttribute('href').startsWith('#')) links++;
    if (el.hasAttribute('src') || el.hasAttribute('xlink:href')) links++;
  }
  return {bad, on, links, pwned: typeof window.__pwned, title: document.title};
})()"""


def generic(page, url, r, timeout):
    """The checks every page must pass; leaves the page loaded with JS on."""
    page.set_javascript(True)
    try:
        page.navigate(url, timeout)
    except CDPError as e:
        r.check(False, "loads", e)
        return False
    r.check(True, "loads")
    others = [u for u in page.requests if u != url]
    r.check(not others, "no request but the file itself", others)
    r.check(not page.exceptions, "no script error", page.exceptions)
    errs = [c for c in page.console if c[0] in ("error", "assert", "warning")]
    r.check(not errs, "no console error", errs)
    r.check(not page.log_errors, "no browser log error (CSP violations, blocked loads)", page.log_errors)
    csp = page.evaluate(
        "(document.querySelector('meta[http-equiv=\"Content-Security-Policy\" i]')||{}).content||''"
    )
    r.check("default-src 'none'" in csp, "CSP default-src 'none'", csp)
    scripts = page.evaluate("[...document.scripts].map(s => s.textContent)")
    unhashed = [
        s[:60]
        for s in scripts
        if "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() not in csp
    ]
    r.check(not unhashed, "every script is allowed by its hash in the CSP (%d)" % len(scripts), unhashed)
    inj = page.evaluate(INJECTED)
    r.check(inj["pwned"] == "undefined" and "pwned" not in inj["title"], "no injected script ran", inj)
    r.check(inj["bad"] == 0 and inj["on"] == 0, "no injected element or handler", inj)
    r.check(inj["links"] == 0, "no link that leaves the page", inj)
    text_len = page.evaluate("document.body ? document.body.innerText.length : 0")
    r.check(text_len > 100, "shows content", text_len)
    # without JavaScript
    page.set_javascript(False)
    n_req = len(page.requests)
    try:
        page.navigate(url, timeout)
        no_js = page.evaluate("document.body ? document.body.innerText.length : 0")
        r.check(no_js > 100, "shows content without JavaScript", no_js)
        r.check(len(page.requests) == n_req + 1, "no request without JavaScript", page.requests[n_req:])
    except CDPError as e:
        r.check(False, "loads without JavaScript", e)
    page.set_javascript(True)
    page.navigate(url, timeout)
    return True


SHOWN = """((sel) => [...document.querySelectorAll(sel)].filter(e => getComputedStyle(e).display !== 'none').length)"""


def shown(page, sel):
    return page.evaluate("%s(%r)" % (SHOWN, sel))


def filter_check(page, r, key):
    total = page.evaluate("document.querySelectorAll('.f').length")
    n = page.evaluate("document.querySelectorAll('.f.%s').length" % key)
    page.evaluate("document.querySelector('input[data-k=\"%s\"]').click()" % key)
    hid_all = shown(page, ".f.%s" % key) == 0
    rest = shown(page, ".f")
    page.evaluate("document.querySelector('input[data-k=\"%s\"]').click()" % key)
    back = shown(page, ".f")
    r.check(
        hid_all and rest == total - n and back == total,
        "filter %s hides its %d of %d findings and brings them back" % (key, n, total),
        "left %s, shown %d, after %d" % (not hid_all, rest, back),
    )


def report(page, r, args):
    v = page.evaluate("(document.querySelector('#verdict h1')||{}).textContent")
    box = page.evaluate(
        "(() => { const e = document.querySelector('#verdict'); if (!e) return 0; "
        "const b = e.getBoundingClientRect(); return b.width * b.height; })()"
    )
    r.check(v == args.verdict and box > 0, "verdict %s shown" % args.verdict, "%r, area %r" % (v, box))
    svg = page.evaluate(
        "(() => { const e = document.querySelector('#timeline-svg'); if (!e) return null; "
        "const b = e.getBoundingClientRect(); return [b.width, b.height, e.querySelectorAll('rect').length]; })()"
    )
    r.check(svg and svg[0] > 0 and svg[1] > 0, "timeline picture has a size", svg)
    r.check(shown(page, "#filters") == 1, "filters shown with JavaScript")
    for cls in ("s-critical", "s-high", "s-medium", "s-low", "s-info", "g-attempt", "g-backdoor", "g-exposure"):
        if page.evaluate("document.querySelectorAll('.f.%s').length" % cls):
            filter_check(page, r, cls)
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    r.check(shown(page, "#filters") == 0, "print hides the filters")
    page.send("Emulation.setEmulatedMedia", {"media": ""})
    total = page.evaluate("document.querySelectorAll('.f').length")
    page.set_javascript(False)
    page.navigate(page.url, args.timeout)
    r.check(shown(page, "#filters") == 0, "no filters without JavaScript")
    r.check(shown(page, ".f") == total, "every finding there without JavaScript (%d)" % total)
    v2 = page.evaluate("(document.querySelector('#verdict h1')||{}).textContent")
    r.check(v2 == args.verdict, "verdict shown without JavaScript", v2)
    page.set_javascript(True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--name")
    ap.add_argument("--verdict")
    ap.add_argument("--text", action="append", default=[])
    ap.add_argument("--screenshot")
    ap.add_argument("--height", type=int, default=2400)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    r = Results(args.name or os.path.basename(args.file))
    chromium = find_chromium()
    if not chromium:
        print("skip - %s: chromium not found" % r.name)
        return
    url = urllib.parse.urljoin("file:", urllib.request.pathname2url(os.path.abspath(args.file)))
    try:
        with Browser(chromium, timeout=args.timeout) as b:
            page = b.new_page()
            page.url = url
            if not generic(page, url, r, args.timeout):
                return
            if args.verdict:
                report(page, r, args)
                page.navigate(url, args.timeout)
            body = page.evaluate("document.body.textContent") if args.text else ""
            for s in args.text:  # closed <details> too
                r.check(s in body, "shows the text %r" % s)
            if args.screenshot:
                page.navigate(url, args.timeout)
                page.screenshot(args.screenshot, width=1200, height=args.height)
                r.check(os.path.getsize(args.screenshot) > 1000, "screenshot " + args.screenshot)
    except CDPError as e:
        r.check(False, "browser", e)


if __name__ == "__main__":
    main()
