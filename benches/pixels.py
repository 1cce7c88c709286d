#!/usr/bin/env python3
"""One HTML page holding N tracking pixels (issue 12, class 7).

    benches/pixels.py [N [PER_LINE]] > page.html

By default 200,000 pixels, one to a line: a 9.4 MB page. Each pixel has its
own id, so every finding is distinct."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
per_line = int(sys.argv[2]) if len(sys.argv) > 2 else 1
out = sys.stdout
out.write("<!doctype html><html><head><title>pixels</title></head><body>\n")
for start in range(0, n, per_line):
    out.write("".join(
        f'<img src="https://www.facebook.com/tr?id={i}">'
        for i in range(start, min(start + per_line, n))))
    out.write("\n")
out.write("</body></html>\n")
