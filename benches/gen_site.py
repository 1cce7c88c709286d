#!/usr/bin/env python3
"""Generate a large, reproducible static site for benchmarking tracklint.

    python3 benches/gen_site.py OUT_DIR [--pages N] [--page-kb K] [--bundles N]
        [--bundle-kb K] [--big-bundle-mb M] [--big-html-mb M] [--seed S]

Defaults: 10,000 pages of ~40 KB (a quarter with tracker tags, pixels or
snippets), 50 JS bundles of ~200 KB, and one single-line minified bundle of
30 MB. `--big-html-mb` adds one HTML file of that size (for memory tests).
The same seed gives the same bytes.
"""

import argparse
import os
import random

TRACKERS = [
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-{n}"></script>\n'
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-{n}');</script>\n",
    "<script>!function(f,b,e,v){{if(f.fbq)return;}}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init','{n}');fbq('track','PageView');</script>\n"
    '<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id={n}&amp;ev=PageView&amp;noscript=1"/></noscript>\n',
    "<script>(function(h,o,t,j,a,r){{h._hjSettings={{hjid:{n},hjsv:6}};}})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>\n",
    '<script src="https://cdn.segment.com/analytics.js/v1/{n}/analytics.min.js"></script>\n',
    '<noscript><img src="https://px.ads.linkedin.com/collect/?pid={n}&fmt=gif" alt=""></noscript>\n',
    '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="{n}"></script>\n',
]

WORDS = (
    "patient care clinic appointment doctor nurse health family visit insurance "
    "billing portal records pharmacy lab results schedule primary specialty "
    "cardiology pediatrics radiology location hours contact about news"
).split()


def paragraph(rng, words=60):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def page(rng, i, kb, tracked):
    head = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<title>Page {i}</title>\n<link rel=\"stylesheet\" href=\"/css/site.css\">\n",
        '<script src="/assets/app.js" defer></script>\n',
    ]
    if tracked:
        for t in rng.sample(TRACKERS, 2):
            head.append(t.format(n=rng.randrange(10**9)))
    head.append("</head>\n<body>\n<nav><a href=\"/\">Home</a> <a href=\"/appointments/\">Book</a></nav>\n")
    body = []
    size = sum(len(h) for h in head)
    while size < kb * 1024:
        p = f'<section class="c{rng.randrange(99)}"><h2>{paragraph(rng, 6)}</h2><p>{paragraph(rng)}</p>' \
            f'<img src="/img/{rng.randrange(999)}.jpg" alt="{paragraph(rng, 3)}"></section>\n'
        body.append(p)
        size += len(p)
    return "".join(head) + "".join(body) + "</body>\n</html>\n"


def bundle(rng, size, single_line, tracked):
    parts = []
    n = 0
    chunk = "function f{i}(a,b){{return a.map(function(x){{return x*b+{k}}}).filter(Boolean)}}var v{i}=f{i}([1,2,3],{k});"
    sep = "" if single_line else "\n"
    i = 0
    while n < size:
        s = chunk.format(i=i, k=rng.randrange(1000)) + sep
        if tracked and i % 5000 == 2500:
            s += 'navigator.sendBeacon("https://bat.bing.com/action/0?ti=1");analytics.load("KEY");' + sep
        parts.append(s)
        n += len(s)
        i += 1
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--page-kb", type=int, default=40)
    ap.add_argument("--bundles", type=int, default=50)
    ap.add_argument("--bundle-kb", type=int, default=200)
    ap.add_argument("--big-bundle-mb", type=int, default=30)
    ap.add_argument("--big-html-mb", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    for i in range(a.pages):
        d = os.path.join(a.out, f"section{i % 100:02d}", f"page{i}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "index.html"), "w") as f:
            f.write(page(rng, i, a.page_kb, tracked=(i % 4 == 0)))
    assets = os.path.join(a.out, "assets")
    os.makedirs(assets, exist_ok=True)
    for i in range(a.bundles):
        with open(os.path.join(assets, f"chunk-{i}.js"), "w") as f:
            f.write(bundle(rng, a.bundle_kb * 1024, single_line=False, tracked=(i % 4 == 0)))
    if a.big_bundle_mb:
        with open(os.path.join(assets, "vendor.min.js"), "w") as f:
            f.write(bundle(rng, a.big_bundle_mb * 1024 * 1024, single_line=True, tracked=True))
    if a.big_html_mb:
        # One document, written in pieces so the generator stays small too.
        with open(os.path.join(a.out, "huge.html"), "w") as f:
            f.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Huge</title></head><body>\n")
            written, i = 0, 0
            while written < a.big_html_mb * 1024 * 1024:
                body = page(rng, i, 40, tracked=(i % 4 == 0))
                body = body[body.index("<body>") + 6 : body.rindex("</body>")]
                if i % 4 == 0:
                    body += TRACKERS[i % len(TRACKERS)].format(n=i)
                f.write(body)
                written += len(body)
                i += 1
            f.write("</body></html>\n")


if __name__ == "__main__":
    main()
