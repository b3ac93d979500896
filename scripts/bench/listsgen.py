"""Request generation for scripts/bench-lists (Python 3 standard library only).

A deterministic request set: first-party assets on popular sites, public CDNs, tracker hosts
and paths taken from the lists, rules limited by domain= on their own pages, and the lists'
exceptions. Used through `listsbench.py generate`.
"""

import json
import random
import re
import sys

SITES = """nytimes.com bbc.co.uk cnn.com theguardian.com washingtonpost.com lemonde.fr spiegel.de
zeit.de elpais.com corriere.it asahi.com yahoo.co.jp naver.com amazon.com amazon.de ebay.com
ebay.co.uk etsy.com walmart.com target.com bestbuy.com ikea.com wikipedia.org reddit.com
github.com stackoverflow.com medium.com wordpress.com tumblr.com imdb.com espn.com weather.com
booking.com tripadvisor.com airbnb.com expedia.com netflix.com spotify.com twitch.tv
bloomberg.com reuters.com forbes.com cnbc.com theverge.com wired.com arstechnica.com
huffpost.com usatoday.com foxnews.com nbcnews.com abc.net.au smh.com.au globo.com uol.com.br
rakuten.co.jp mercadolibre.com.ar allegro.pl onet.pl idnes.cz orf.at nu.nl aftonbladet.se
vg.no yle.fi marca.com lefigaro.fr ouest-france.fr bild.de heise.de chip.de""".split()

CDNS = """cdnjs.cloudflare.com ajax.googleapis.com fonts.googleapis.com fonts.gstatic.com
cdn.jsdelivr.net unpkg.com code.jquery.com maxcdn.bootstrapcdn.com use.fontawesome.com
upload.wikimedia.org i.ytimg.com i.imgur.com images.unsplash.com static.xx.fbcdn.net
pbs.twimg.com abs.twimg.com s3.amazonaws.com d1a2b3c4d5e6f7.cloudfront.net
assets.adobedtm.example.org media.giphy.com i.pinimg.com cdn.shopify.com
images-na.ssl-images-amazon.com m.media-amazon.com yt3.ggpht.com lh3.googleusercontent.com
polyfill.io cdn.ampproject.org player.vimeo.com www.youtube.com js.stripe.com
www.gstatic.com maps.googleapis.com api.mapbox.com""".split()

SUBDOMAINS = ["www", "static", "cdn", "img", "assets", "media", "api", "images", "s", "js"]

FIRST_PARTY_PATHS = [
    ("/assets/js/app.{hex}.js", "script"), ("/static/js/main.{hex}.chunk.js", "script"),
    ("/js/vendor.{hex}.min.js", "script"), ("/css/main.{hex}.css", "stylesheet"),
    ("/assets/css/site.{hex}.css", "stylesheet"), ("/images/{year}/{month}/photo-{n}.jpg", "image"),
    ("/img/logo.svg", "image"), ("/media/thumbs/{n}.webp", "image"), ("/favicon.ico", "image"),
    ("/fonts/roboto-{n}.woff2", "font"), ("/api/v1/articles?page={n}", "xmlhttprequest"),
    ("/api/graphql?operation=feed&id={hex}", "xmlhttprequest"), ("/search?q=shoes&page={n}", "xmlhttprequest"),
    ("/video/{hex}/master.m3u8", "media"), ("/embed/comments/{n}", "sub_frame"),
    ("/article/{year}/{month}/{slug}.html", "sub_frame"), ("/ws/live?channel={n}", "websocket"),
    ("/manifest.json", "other"), ("/sitemap.xml", "other"),
]

CDN_PATHS = [
    ("/ajax/libs/jquery/3.{n}.0/jquery.min.js", "script"), ("/npm/bootstrap@5.{n}/dist/css/bootstrap.min.css", "stylesheet"),
    ("/css2?family=Roboto:wght@400;700&display=swap", "stylesheet"), ("/s/roboto/v{n}/KFOmCnqEu92Fr1Mu4mxK.woff2", "font"),
    ("/wikipedia/commons/thumb/{hex}/{n}px-Photo.jpg", "image"), ("/vi/{hex}/hqdefault.jpg", "image"),
    ("/{hex}.png", "image"), ("/photo-{n}?w=1200&q=80", "image"), ("/v3/", "script"),
    ("/media/{hex}/giphy.gif", "image"), ("/video/{n}", "sub_frame"), ("/embed/{hex}", "sub_frame"),
]

TRACKER_PATHS = [
    ("/js/tag.js", "script"), ("/pixel.gif?id={n}&ev=PageView", "image"), ("/collect?v=1&tid=UA-{n}-1", "ping"),
    ("/sdk.js", "script"), ("/p?e=view&u={hex}", "image"), ("/beacon", "ping"), ("/", "script"),
    ("/track?event=load&site={n}", "xmlhttprequest"), ("/ads/{n}/banner.html", "sub_frame"),
    ("/sync?partner={n}", "image"), ("/v2/events", "xmlhttprequest"), ("/loader.js?ver={n}", "script"),
]

WORDS = "news world sport climate election market review guide travel food health tech science".split()


def fill(template, rng):
    return (template.replace("{hex}", "%08x" % rng.getrandbits(32))
            .replace("{n}", str(rng.randint(1, 999)))
            .replace("{year}", str(rng.randint(2015, 2025)))
            .replace("{month}", "%02d" % rng.randint(1, 12))
            .replace("{slug}", "-".join(rng.sample(WORDS, 3))))


HOST_RULE = re.compile(r"^(@@)?\|\|([a-z0-9][a-z0-9.-]*[a-z0-9])(\^?)(\$.*)?$")
PATH_RULE = re.compile(r"^(@@)?(\|\|[a-z0-9.-]+)?([/?&=._a-zA-Z0-9*^-]{4,})(\$.*)?$")


def list_material(paths):
    """Tracker hosts (`||host^` rules), host+path rules and generic path patterns of the lists."""
    hosts, host_paths, generic, exceptions, on_pages = set(), set(), set(), set(), set()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                line = line.strip()
                if not line or line[0] in "![" or "#" in line:
                    continue
                options = line.split("$", 1)[1] if "$" in line else ""
                if "popup" in options or "redirect" in options:
                    continue
                if "domain=" in options:
                    # Rules limited to some pages: remember the pattern with those pages.
                    match = PATH_RULE.match(line)
                    pages = [d for d in options.split("domain=", 1)[1].split(",")[0].split("|")
                             if not d.startswith("~") and not d.endswith(".*")]
                    if match and pages:
                        host = match.group(2)[2:] if match.group(2) else None
                        on_pages.add((host, match.group(3), tuple(sorted(pages))))
                    continue
                match = HOST_RULE.match(line)
                if match and match.group(3) and not match.group(1):
                    hosts.add(match.group(2))
                    continue
                match = PATH_RULE.match(line)
                if not match:
                    continue
                pattern = match.group(3)
                if match.group(1):
                    if match.group(2):
                        exceptions.add(match.group(2)[2:] + pattern)
                elif match.group(2):
                    host_paths.add(match.group(2)[2:] + pattern)
                elif pattern[0] in "/.-_?&":
                    generic.add(pattern)
    return sorted(hosts), sorted(host_paths), sorted(generic), sorted(exceptions), sorted(on_pages, key=str)


def realize(pattern, rng):
    """A concrete URL part that a pattern with `*` and `^` matches."""
    out = []
    for char in pattern:
        if char == "*":
            out.append("%x" % rng.getrandbits(16))
        elif char == "^":
            out.append("/")
        else:
            out.append(char)
    return "".join(out)


def type_for_path(path, default):
    lower = path.lower().split("?")[0]
    for suffix, kind in ((".js", "script"), (".css", "stylesheet"), (".gif", "image"), (".png", "image"),
                         (".jpg", "image"), (".svg", "image"), (".woff2", "font"), (".html", "sub_frame"),
                         (".mp4", "media")):
        if lower.endswith(suffix):
            return kind
    return default


def generate(args):
    rng = random.Random(args.seed)
    hosts, host_paths, generic, exceptions, on_pages = list_material(args.lists)
    if not hosts:
        sys.exit("listsbench: no host rules found in the lists")
    kinds = ["script", "image", "xmlhttprequest", "sub_frame", "stylesheet", "ping", "font", "media", "other"]
    with open(args.out, "w", encoding="utf-8") as out:
        for _ in range(args.count):
            site = rng.choice(SITES)
            source = "https://www.%s/%s/%s" % (site, rng.choice(WORDS), fill("{slug}-{n}.html", rng))
            roll = rng.random()
            if roll < 0.40:  # first-party assets
                template, kind = rng.choice(FIRST_PARTY_PATHS)
                url = "https://%s.%s%s" % (rng.choice(SUBDOMAINS), site, fill(template, rng))
            elif roll < 0.60:  # public CDNs and embeds
                template, kind = rng.choice(CDN_PATHS)
                url = "https://%s%s" % (rng.choice(CDNS), fill(template, rng))
            elif roll < 0.83:  # tracker and ad hosts from the lists
                template, kind = rng.choice(TRACKER_PATHS)
                host = rng.choice(hosts)
                if rng.random() < 0.3:
                    host = rng.choice(["www", "cdn", "t", "px", "static"]) + "." + host
                url = "https://%s%s" % (host, fill(template, rng))
                kind = rng.choice([kind, kind, rng.choice(kinds)])
            elif roll < 0.90 and host_paths:  # host + path rules (some only match certain types)
                part = realize(rng.choice(host_paths), rng)
                url = "https://" + part + ("" if "?" in part else fill("?r={n}", rng))
                kind = type_for_path(part, rng.choice(kinds))
            elif roll < 0.94 and generic:  # generic path patterns on first-party hosts
                part = realize(rng.choice(generic), rng)
                url = "https://www.%s%s%s" % (site, "" if part.startswith("/") else "/x", part)
                kind = type_for_path(part, rng.choice(kinds))
            elif roll < 0.98 and on_pages:  # rules limited by domain=, on one of their pages (or not)
                host, pattern, pages = rng.choice(on_pages)
                page = rng.choice(pages) if rng.random() < 0.8 else site
                source = "https://%s%s/" % (rng.choice(["", "www.", "m."]), page)
                part = realize(pattern, rng)
                if host:
                    url = "https://%s%s" % (host, part)
                else:
                    url = "https://cdn.%s%s%s" % (page, "" if part.startswith("/") else "/x", part)
                kind = type_for_path(part, rng.choice(kinds))
            elif exceptions:  # things the lists explicitly allow
                url = "https://" + realize(rng.choice(exceptions), rng)
                kind = type_for_path(url, rng.choice(kinds))
            else:
                url, kind = "https://www.%s/" % site, "other"
            if rng.random() < 0.06:
                # A page load with no page behind it (what a proxy sees of a top-level navigation
                # before it knows the page): a site's page, or a visit bounced through a tracker.
                kind = "main_frame"
                if rng.random() < 0.5:
                    url = source
                else:
                    url = "https://%s/click?u=%s" % (rng.choice(hosts), fill("{n}", rng))
                source = ""
            out.write(json.dumps({"url": url, "sourceUrl": source, "type": kind}) + "\n")
