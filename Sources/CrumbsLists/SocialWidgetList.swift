import Foundation

/// One Privacy Badger social widget: a share button, an embedded player or a script widget,
/// and the hosts it loads from.
public struct SocialWidget: Sendable, Hashable {
    /// What the widget is, from Privacy Badger's `replacementButton.type`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Types 0–2: a share/like button (image link, iframe, or script on click).
        case button
        /// Type 3: an iframe embed such as a video or audio player.
        case embed
        /// Type 4: a script widget such as Disqus comments or reCAPTCHA.
        case widget
    }

    /// The widget's name in the file (`Twitter`, `Facebook Like`, `YouTube`).
    public var name: String
    public var kind: Kind
    /// `domain`/`domains` as written, patterns included (`*.disqus.com`).
    public var hostPatterns: [String]
    /// The same hosts normalised (`disqus.com` for `*.disqus.com`), without duplicates.
    public var hosts: [String]
}

/// Privacy Badger's `socialwidgets.json` (Debian `webext-privacy-badger`), README §2.7:
/// `{"Twitter": {"domain": "platform.twitter.com", "buttonSelectors": […],
/// "replacementButton": {"type": 0, …}}, …}`. A widget names hosts with `domain` (one) or
/// `domains` (several). It gives categories only: widget names are products, not owners.
public struct SocialWidgetList: Sendable {
    public static let listName = "Privacy Badger socialwidgets.json"

    /// Sorted by name.
    public let widgets: [SocialWidget]
    public let report: EntityListReport

    public init(contentsOf url: URL) throws(EntityListError) {
        let json = try JSONListFile.read(url, list: Self.listName)
        try self.init(json: json, path: url.path)
    }

    public init(data: Data, path: String = "<data>") throws(EntityListError) {
        let json = try JSONListFile.parse(data, list: Self.listName, path: path)
        try self.init(json: json, path: path)
    }

    private init(json: Any, path: String) throws(EntityListError) {
        let top = try JSONListFile.object(json, list: Self.listName, path: path)
        var report = EntityListReport(list: Self.listName, path: path == "<data>" ? nil : path)
        var widgets: [SocialWidget] = []
        for rawName in JSONListFile.sortedKeys(top) {
            let name = rawName.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                report.skip(.missingName, at: "widgets", rawName)
                continue
            }
            guard let fields = top[rawName] as? [String: Any] else {
                report.skip(.wrongType, at: name, "widget is not an object")
                continue
            }
            var patterns: [String] = []
            if let one = fields["domain"] as? String { patterns.append(one) }
            if let many = fields["domains"] as? [Any] {
                for item in many {
                    if let pattern = item as? String {
                        patterns.append(pattern)
                    } else {
                        report.skip(.wrongType, at: name, "host is not a string")
                    }
                }
            }
            var hosts: [String] = []
            for pattern in patterns {
                guard let host = ListDomain.normalize(pattern) else {
                    report.skip(.invalidDomain, at: name, pattern)
                    continue
                }
                if !hosts.contains(host) { hosts.append(host) }
            }
            guard !hosts.isEmpty else {
                if patterns.isEmpty { report.skip(.wrongType, at: name, "no domain or domains") }
                continue
            }
            let button = fields["replacementButton"] as? [String: Any]
            widgets.append(
                SocialWidget(name: name, kind: Self.kind(button?["type"]), hostPatterns: patterns, hosts: hosts))
            report.kept += 1
        }
        self.widgets = widgets
        self.report = report
    }

    /// Unknown or missing types count as buttons: the file is a list of social widgets first.
    private static func kind(_ value: Any?) -> SocialWidget.Kind {
        switch (value as? NSNumber)?.intValue ?? (value as? Int) {
        case 3: .embed
        case 4: .widget
        default: .button
        }
    }

    /// Host patterns over all widgets, as written.
    public var hostPatternCount: Int { widgets.reduce(0) { $0 + $1.hostPatterns.count } }

    /// One fact per (widget, host); several widgets on one host (`www.facebook.com`) unite.
    public var contribution: EntityListContribution {
        let facts = widgets.flatMap { widget in
            widget.hosts.map {
                DomainFact(domain: $0, company: nil, categories: [widget.kind.category], widget: widget.name)
            }
        }
        return EntityListContribution(source: .privacyBadger, facts: facts)
    }
}
