#!/usr/bin/env python3
"""Fills an empty Crumbs store with a synthetic, deterministic month of browsing.

    reportsgen.py --db crumbs.sqlite [--events 1000000] [--days 30] [--sites 2000] [--hosts 3000]
                  [--seed 20251124] [--start UNIX_SECONDS] [--utc-offset SECONDS]

The database must already exist with the schema the crumbs binary creates (scripts/bench-reports
lets `crumbs graph` create it): this script only inserts rows, so a schema change shows up as an
error here instead of as a benchmark of the wrong tables.

The shape, chosen to look like a person's month rather than uniform noise:
  * page visits pick a first-party site with a Zipf-like skew (a few sites get most visits);
    each visit is one navigation (`document`, high confidence) followed by first-party
    subresources and third-party requests;
  * each site embeds a fixed set of third-party hosts (lognormal size, median 20, a long tail of
    big ad-heavy sites), drawn with a Zipf-like skew so that a few trackers are everywhere; hosts live
    under registrable domains (`h12.tp345.net`), domains belong to companies (or none), and each
    domain has a category (advertising, analytics, ...): trackers are the tracking categories;
  * a quarter of third-party requests send 1-3 cookies, one in twenty sets one (names from a
    small per-domain pool; values are random hex hashes, as Crumbs stores only keyed hashes);
  * about 4% of third-party traffic is a tunnel attributed by time window with low confidence,
    and a few requests are unattributed;
  * activity follows the local day: little at night, most in the evening.
Prints one JSON line with the counts it wrote.
"""

import argparse
import bisect
import json
import math
import random
import sqlite3
import sys
import time

CATEGORIES = [
    ("advertising", True, 0.40),
    ("analytics", True, 0.25),
    ("social", True, 0.08),
    ("tagManager", True, 0.04),
    ("sessionReplay", True, 0.02),
    ("fingerprinting", True, 0.01),
    ("content", False, 0.12),
    ("consent", False, 0.03),
    ("other", False, 0.05),
]
TLDS = ["com", "net", "de", "co.uk", "fr", "io", "org", "com.au", "nl", "it"]
COOKIE_NAMES = ["uid", "_ga", "IDE", "id", "sid", "_fbp", "NID", "ar_debug", "tuuid", "visitor", "__gads", "cto"]
PER_HOUR = [1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 8, 7, 6, 6, 7, 8, 9, 10, 10, 9, 6, 3]


def zipf_cdf(n, s):
    weights = [1.0 / math.pow(rank, s) for rank in range(1, n + 1)]
    total = sum(weights)
    cdf, acc = [], 0.0
    for w in weights:
        acc += w / total
        cdf.append(acc)
    return cdf


def pick(rng, cdf):
    return min(bisect.bisect_left(cdf, rng.random()), len(cdf) - 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20251124)
    parser.add_argument("--start", type=float, help="unix time of the first day's local midnight")
    parser.add_argument("--utc-offset", type=int, default=0, help="local time zone offset in seconds")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    if args.start is None:
        now = time.time() + args.utc_offset
        args.start = (now // 86400 - args.days) * 86400 - args.utc_offset

    sites = [f"site{i}.{TLDS[i % len(TLDS)]}" for i in range(args.sites)]
    domain_count = max(1, args.hosts * 2 // 5)
    company_count = max(1, domain_count // 5)
    company_cdf = zipf_cdf(company_count, 1.0)
    domains = []
    category_cdf, acc = [], 0.0
    for _, _, share in CATEGORIES:
        acc += share
        category_cdf.append(acc)
    for d in range(domain_count):
        category, tracking, _ = CATEGORIES[min(bisect.bisect_left(category_cdf, rng.random() * acc), 8)]
        # Four in five domains have a known owner; popular companies own more domains.
        company = f"Company {pick(rng, company_cdf)}" if rng.random() < 0.8 else None
        names = rng.sample(COOKIE_NAMES, 3)
        domains.append((f"tp{d}.{TLDS[d % len(TLDS)]}", company, category, tracking, names))
    hosts = []
    for h in range(args.hosts):
        domain = domains[h % domain_count] if h < domain_count else domains[rng.randrange(domain_count)]
        hosts.append((f"h{h}.{domain[0]}", domain))
    site_cdf = zipf_cdf(len(sites), 1.0)
    host_cdf = zipf_cdf(len(hosts), 1.1)
    # Each site embeds a fixed set of third parties (its ad stack, analytics, widgets, CDNs), as
    # real pages do: a few sites carry hundreds, most a dozen or two. Popular hosts are in most
    # sets. Requests of a visit are drawn from the site's set, its first members most often.
    embeds = []
    for _ in sites:
        size = min(len(hosts), max(3, int(rng.lognormvariate(3.0, 0.8))))
        chosen = []
        seen = set()
        while len(chosen) < size:
            h = pick(rng, host_cdf)
            if h not in seen:
                seen.add(h)
                chosen.append(h)
        embeds.append(chosen)
    embed_cdfs = [zipf_cdf(len(embed), 0.8) for embed in embeds]
    hour_cdf = []
    acc = 0.0
    for weight in PER_HOUR:
        acc += weight / sum(PER_HOUR)
        hour_cdf.append(acc)

    db = sqlite3.connect(args.db)
    db.execute("PRAGMA synchronous = OFF")
    next_id = (db.execute("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0]) + 1
    events, classifications, sent, set_rows = [], [], [], []

    # Each visit's size first, then the visits spread over every day (drawing the times first
    # and stopping at --events would leave the last days empty), in time order, so ids grow with
    # time as they do in a recorded store.
    counts, total = [], 0
    while total < args.events:
        counts.append(min(args.events - total, max(1, int(rng.expovariate(1 / 25)))))
        total += counts[-1]
    visit_times = sorted(
        args.start + rng.randrange(args.days) * 86400 + pick(rng, hour_cdf) * 3600 + rng.random() * 3600
        for _ in counts
    )
    written = 0
    for visit_time, count in zip(visit_times, counts):
        site_number = pick(rng, site_cdf)
        site = sites[site_number]
        embed = embeds[site_number]
        embed_cdf = embed_cdfs[site_number]
        t = visit_time
        for k in range(count):
            t += rng.random() * 0.2
            eid = next_id
            next_id += 1
            written += 1
            # A household's devices, as the proxy records them (the address, no port).
            client = f"192.168.1.{20 + rng.randrange(6)}"
            if k == 0 or rng.random() < 0.15:
                host = ("www." + site) if rng.random() < 0.7 else site
                dest = "document" if k == 0 else "script"
                events.append(
                    (eid, t, client, "request", "GET", "https", host, 443, "/", 200, 400, 20000, 0.05,
                     "text/html" if k == 0 else "text/javascript", None if k == 0 else site, None,
                     "none" if k == 0 else "same-origin", "navigate" if k == 0 else "no-cors", dest,
                     None, None, 0))
                classifications.append(
                    (eid, site, "navigation" if k == 0 else "referer", "high", dest, 0, 0, 0, "", None, None,
                     None, ""))
                continue
            host, (domain, company, category, tracking, names) = hosts[embed[pick(rng, embed_cdf)]]
            tunnel = rng.random() < 0.04
            events.append(
                (eid, t, client, "tunnel" if tunnel else "request", "CONNECT" if tunnel else "GET", "https",
                 host, 443, None if tunnel else "/p", None if tunnel else 200, 300 + rng.randrange(2000),
                 rng.randrange(60000), rng.random(), None if tunnel else "image/gif", None if tunnel else site,
                 None, None if tunnel else "cross-site", None if tunnel else "no-cors",
                 None if tunnel else "image", None, None, 0))
            unattributed = rng.random() < 0.01
            lists = "crumbs-trackers" if tracking else ""
            classifications.append(
                (eid, None if unattributed else site,
                 "unattributed" if unattributed else ("timeWindow" if tunnel else "referer"),
                 "none" if unattributed else ("low" if tunnel else "medium"), "image", 1, 0, int(tracking),
                 lists, ("||" + domain + "^") if tracking else None,
                 "crumbs-trackers.tsv:1" if tracking else None, company, category))
            if tunnel:
                continue
            if rng.random() < 0.25:
                for position in range(1 + rng.randrange(3)):
                    # Keyed hashes are stored as their 16 bytes.
                    sent.append((eid, position, names[position], rng.getrandbits(128).to_bytes(16, "big"), 32, 120.0, ""))
            if rng.random() < 0.05:
                set_rows.append(
                    (eid, 0, names[0], rng.getrandbits(128).to_bytes(16, "big"), 32, "." + domain, "/",
                     t + 365 * 86400, 1, 0, "None", 0, 120.0, ""))
        if len(events) >= 50000:
            flush(db, events, classifications, sent, set_rows)
    flush(db, events, classifications, sent, set_rows)
    db.commit()
    counts = {
        table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("event", "classification", "cookie_sent", "cookie_set")
    }
    db.close()
    print(json.dumps(counts))


# The store's codes (Sources/CrumbsStore/StoredCodes.swift) and name tables (NameTable.swift):
# rows are generated in their readable form above and written as the store keeps them.
KINDS = ["request", "tunnel", "upgrade", "dnsQuery", "tlsHello", "tunnelOpened"]
ATTRIBUTIONS = ["navigation", "referer", "origin", "parentFrame", "timeWindow", "inferredNavigation",
                "recordedPage", "unattributed"]
CONFIDENCES = ["none", "low", "medium", "high"]
DEFAULT_PORTS = {"https": 443, "wss": 443, "http": 80, "ws": 80}


class Names:
    """Ids of the strings in one of the store's name tables (`name` or `party`)."""

    def __init__(self, db, table):
        self.db, self.table = db, table
        self.ids = dict((text, i) for i, text in db.execute(f"SELECT id, text FROM {table}"))

    def __call__(self, text):
        if text is None:
            return None
        found = self.ids.get(text)
        if found is None:
            found = self.db.execute(f"INSERT INTO {self.table} (text) VALUES (?)", (text,)).lastrowid
            self.ids[text] = found
        return found


TABLES = {}


def rule(lists, rule_text, location):
    """Lists, rule and location as the store's one name (StoredCode.rule)."""
    if not lists and rule_text is None and location is None:
        return None
    return "\x1f".join((lists or "", rule_text or "", location or ""))


def fetch_metadata(site, mode, dest):
    """Sec-Fetch-Site, -Mode and -Dest as the store's one name (StoredCode.fetchMetadata)."""
    if site is None and mode is None and dest is None:
        return None
    return "\x1f".join(value or "" for value in (site, mode, dest))


def flush(db, events, classifications, sent, set_rows):
    if not TABLES:
        TABLES["name"], TABLES["party"] = Names(db, "name"), Names(db, "party")
    name, party = TABLES["name"], TABLES["party"]
    db.executemany(
        "INSERT INTO event (id, time, client, kind, method, scheme, host, port, path, status, bytes_up, "
        "bytes_down, duration, content_type, referer_site, origin_site, sec_fetch, failure, accept, source) "
        "VALUES (" + ",".join("?" * 20) + ")",
        [(e[0], round(e[1] * 1000), party(e[2]), KINDS.index(e[3]), name(e[4]), name(e[5]), party(e[6]),
          None if e[7] == DEFAULT_PORTS.get(e[5]) else e[7], e[8],
          e[9], e[10], e[11], round(e[12] * 1_000_000), name(e[13]), party(e[14]), party(e[15]),
          name(fetch_metadata(e[16], e[17], e[18])), e[19], name(e[20]), 0) for e in events])
    db.executemany(
        "INSERT INTO classification (event_id, first_party_site, attribution, confidence, request_type, "
        "third_party, same_owner, tracker, rule, company, categories) VALUES (" + ",".join("?" * 11) + ")",
        [(c[0], party(c[1]), ATTRIBUTIONS.index(c[2]), CONFIDENCES.index(c[3]), name(c[4]), c[5], c[6], c[7],
          name(rule(c[8], c[9], c[10])), name(c[11]), name(c[12] or None)) for c in classifications])
    db.executemany("INSERT INTO cookie_sent (event_id, position, name, value_hash, value_length, entropy, tokens) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", sent)
    db.executemany("INSERT INTO cookie_set (event_id, position, name, value_hash, value_length, domain, path, "
                   "expires, secure, http_only, same_site, partitioned, entropy, tokens) VALUES ("
                   + ",".join("?" * 14) + ")", set_rows)
    for rows in (events, classifications, sent, set_rows):
        rows.clear()


if __name__ == "__main__":
    sys.exit(main())
