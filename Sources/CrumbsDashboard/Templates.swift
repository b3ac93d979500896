/// The dashboard's Mustache templates. `{{…}}` escapes for HTML; nothing here uses the
/// unescaped form, so every name from the network is text wherever it lands.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "today": today, "digests": digests, "devices": devices, "section": section,
        "trust": trust,
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Crumbs</title>
        <link rel="stylesheet" href="/static/dashboard.css">
        </head>
        <body>
        <header>
        <nav aria-label="{{navLabel}}">
        <a href="/?lang={{lang}}"{{#isToday}} aria-current="page"{{/isToday}}>{{navToday}}</a>
        <a href="/digests?lang={{lang}}"{{#isDigests}} aria-current="page"{{/isDigests}}>{{navDigests}}</a>
        <a href="/devices?lang={{lang}}"{{#isDevices}} aria-current="page"{{/isDevices}}>{{navDevices}}</a>
        <a href="{{switchHref}}" hreflang="{{switchLang}}" lang="{{switchLang}}">{{switchLabel}}</a>
        </nav>
        </header>
        <main>
        <h1>{{title}}</h1>
        {{$content}}{{/content}}
        </main>
        {{#scripts}}<script src="{{.}}"></script>{{/scripts}}
        </body>
        </html>

        """

    static let section = """
        <section>
        <h2>{{title}}</h2>
        {{#blocks}}
        {{#paragraph}}<p>{{.}}</p>{{/paragraph}}
        {{#list}}<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>{{/list}}
        {{#table}}<div class="scroll"><table>
        {{#caption}}<caption>{{caption}}</caption>{{/caption}}
        <thead><tr>{{#columns}}<th scope="col"{{#numeric}} class="num"{{/numeric}}>{{title}}</th>{{/columns}}</tr></thead>
        <tbody>{{#rows}}<tr>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}>{{text}}</td>{{/cells}}</tr>{{/rows}}</tbody>
        </table></div>{{/table}}
        {{/blocks}}
        </section>

        """

    /// This browser and the Crumbs certificate: the proxy's verdict, checked again live by the
    /// image (only a browser that trusts the certificate can load it over https) and the script.
    static let trust = """
        <section class="trust">
        <p id="trust-status" role="status" data-trusted="{{trustedText}}" data-not-trusted="{{notTrustedText}}"><strong>{{sentence}}</strong></p>
        {{#modeSentence}}<p>{{modeSentence}}</p>{{/modeSentence}}
        {{#checkImage}}<img id="trust-check" src="{{checkImage}}" alt="" width="1" height="1">{{/checkImage}}
        <p><a href="/certificate">{{installLink}}</a></p>
        </section>

        """

    static let today = """
        {{<layout}}{{$content}}
        {{#trust}}{{>trust}}{{/trust}}
        <p class="headline">{{headline}}</p>
        {{#sections}}{{>section}}{{/sections}}
        {{/content}}{{/layout}}
        """

    static let digests = """
        {{<layout}}{{$content}}
        {{#none}}<p>{{none}}</p>{{/none}}
        <ul class="days">{{#days}}<li>{{#href}}<a href="{{href}}">{{label}}</a>{{/href}}{{^href}}{{label}}{{/href}}</li>{{/days}}</ul>
        {{/content}}{{/layout}}
        """

    static let devices = """
        {{<layout}}{{$content}}
        {{#none}}<p>{{none}}</p>{{/none}}
        {{#table}}{{>section}}{{/table}}
        {{/content}}{{/layout}}
        """

    /// Updates the trust sentence when the check image loads (trusted) or fails (not trusted);
    /// the sentences come from the page, in its language.
    static let trustCheckScript = """
        (function () {
          var image = document.getElementById("trust-check");
          var status = document.getElementById("trust-status");
          if (!image || !status) { return; }
          function say(text) {
            status.textContent = "";
            var strong = document.createElement("strong");
            strong.textContent = text;
            status.appendChild(strong);
          }
          function loaded() { say(status.getAttribute("data-trusted")); }
          function failed() { say(status.getAttribute("data-not-trusted")); }
          image.addEventListener("load", loaded);
          image.addEventListener("error", failed);
          if (image.complete) { if (image.naturalWidth > 0) { loaded(); } else { failed(); } }
        })();

        """

    static let stylesheet = """
        :root { --ink: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; --accent: #0b57d0; }
        body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--ink); }
        header { border-bottom: 1px solid var(--line); }
        nav { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: .75rem 1rem; max-width: 64rem; margin: auto; }
        nav a { color: var(--accent); }
        nav a[aria-current="page"] { font-weight: 700; text-decoration: none; }
        main { max-width: 64rem; margin: auto; padding: 0 1rem 3rem; }
        a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .headline { font-size: 1.15rem; font-weight: 600; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; }
        th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        caption { text-align: left; color: var(--muted); }

        """
}
