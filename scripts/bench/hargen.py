#!/usr/bin/env python3
"""Writes a large, realistic HAR for scripts/bench-import, streaming (never the whole document
in memory): pages of ~50 entries on a few hundred sites, each loading first-party assets and real
tracker hosts, with the header lists, cookies and response bodies that browsers' HAR exports carry
(about 1.5 kB per entry, so 100,000 entries make about 150 MB).

    hargen.py --entries 100000 --seed 7 --out big.har
"""
import argparse
import json
import random
from datetime import datetime, timedelta, timezone

TRACKERS = [
    ("https://www.google-analytics.com/analytics.js", "script"),
    ("https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123&cid={cid}&en=page_view", "xhr"),
    ("https://www.googletagmanager.com/gtm.js?id=GTM-{n}", "script"),
    ("https://securepubads.g.doubleclick.net/tag/js/gpt.js", "script"),
    ("https://connect.facebook.net/en_US/fbevents.js", "script"),
    ("https://www.facebook.com/tr?id={n}&ev=PageView&noscript=1", "image"),
    ("https://bat.bing.com/bat.js", "script"),
    ("https://static.criteo.net/js/ld/publishertag.js", "script"),
    ("https://pixel.rubiconproject.com/tap.php?v={n}&nid=2307", "image"),
    ("https://ib.adnxs.com/getuid?https%3A%2F%2Fexample.test%2F", "image"),
    ("https://www.clarity.ms/tag/{cid}", "script"),
    ("https://s.yimg.com/wi/ytc.js", "script"),
]
ASSETS = [("/static/app.js", "script", "application/javascript"), ("/static/site.css", "stylesheet", "text/css"),
          ("/img/hero.jpg", "image", "image/jpeg"), ("/fonts/body.woff2", "font", "font/woff2"),
          ("/api/articles?page=1", "fetch", "application/json")]


def headers(pairs):
    return [{"name": n, "value": v} for n, v in pairs]


def entry(rng, page_id, url, started, rtype, mime, referer, cookie):
    req = [(":authority", url.split("/")[2]), (":method", "GET"), (":path", "/" + url.split("/", 3)[-1]),
           (":scheme", "https"), ("accept", "*/*"), ("accept-encoding", "gzip, deflate, br"),
           ("accept-language", "fr-FR,fr;q=0.9,en;q=0.8"),
           ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"),
           ("sec-fetch-dest", {"document": "document", "script": "script", "stylesheet": "style", "image": "image",
                               "font": "font"}.get(rtype, "empty")),
           ("sec-fetch-mode", "navigate" if rtype == "document" else "no-cors"),
           ("sec-fetch-site", "none" if rtype == "document" else "cross-site")]
    if referer:
        req.append(("referer", referer))
    if cookie:
        req.append(("cookie", cookie))
    resp = [("content-type", mime), ("cache-control", "max-age=3600"), ("server", "nginx"),
            ("date", started.strftime("%a, %d %b %Y %H:%M:%S GMT")), ("content-length", "1200")]
    if rng.random() < 0.15:
        resp.append(("set-cookie", "_uid=%032x; Max-Age=31536000; Path=/; Secure; SameSite=None" % rng.getrandbits(128)))
    body = "x" * 24 + "\\u00e9" * 4
    return {
        "pageref": page_id, "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": round(rng.uniform(5, 400), 3),
        "request": {"method": "GET", "url": url, "httpVersion": "h2", "headers": headers(req), "queryString": [],
                    "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "", "httpVersion": "h2", "headers": headers(resp), "cookies": [],
                     "content": {"size": 1200, "mimeType": mime, "text": body}, "redirectURL": "",
                     "headersSize": -1, "bodySize": 1200, "_transferSize": 1500, "_error": None},
        "cache": {}, "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1, "send": 0.1, "wait": 20.5,
                                  "receive": 1.1, "_blocked_queueing": 0.5},
        "serverIPAddress": "127.0.0.1", "_initiator": {"type": "parser", "url": referer or "", "lineNumber": 12},
        "_priority": "High", "_resourceType": rtype, "connection": "443",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sites = ["www.site%03d.test" % i for i in range(300)]
    start = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)
    pages = []
    plan = []
    written = 0
    page_number = 0
    while written < args.entries:
        page_number += 1
        site = rng.choice(sites)
        page_id = "page_%d" % page_number
        when = start + timedelta(seconds=page_number * 20)
        pages.append({"startedDateTime": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                      "id": page_id, "title": "https://%s/" % site, "pageTimings": {"onLoad": 900}})
        count = min(args.entries - written, rng.randint(30, 70))
        plan.append((page_id, site, when, count))
        written += count
    with open(args.out, "w") as out:
        out.write('{"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},\n"pages": ')
        json.dump(pages, out)
        out.write(',\n"entries": [\n')
        first = True
        for page_id, site, when, count in plan:
            page_url = "https://%s/" % site
            cid = "%d.%d" % (rng.getrandbits(31), int(when.timestamp()))
            for index in range(count):
                started = when + timedelta(milliseconds=index * 25)
                if index == 0:
                    e = entry(rng, page_id, page_url, started, "document", "text/html", None, "session=%016x" % rng.getrandbits(64))
                elif rng.random() < 0.45:
                    path, rtype, mime = rng.choice(ASSETS)
                    e = entry(rng, page_id, "https://%s%s" % (site, path), started, rtype, mime, page_url, None)
                else:
                    template, rtype = rng.choice(TRACKERS)
                    url = template.format(cid=cid, n=rng.randint(1, 99999))
                    cookie = "IDE=%032x; DSID=%016x" % (rng.getrandbits(128), rng.getrandbits(64)) if rng.random() < 0.4 else None
                    e = entry(rng, page_id, url, started, rtype, "application/javascript", page_url, cookie)
                out.write(("" if first else ",\n") + json.dumps(e, separators=(",", ":")))
                first = False
        out.write("\n]}}\n")


if __name__ == "__main__":
    main()
