/// How the upstream lists' category names map onto `TrackerCategory`.
///
/// The tables are the documentation: a reviewer should be able to read every decision here.
/// Names not in a table map to `.other` and are counted in the list's report, so a new upstream
/// category shows up in `crumbs lists` output instead of silently vanishing.
extension TrackerCategory {
    /// Disconnect `services.json` categories (current list and the 2020 GPL snapshot).
    ///
    /// | Disconnect | Crumbs | why |
    /// |---|---|---|
    /// | Advertising | advertising | |
    /// | Analytics | analytics | companies flagged `"session-replay": "true"` also get sessionReplay |
    /// | Social | social | the networks and share-button services |
    /// | Content | content | CDNs, embeds, video players |
    /// | FingerprintingInvasive, FingerprintingGeneral, Fingerprinting (2020) | fingerprinting | |
    /// | Cryptomining | cryptomining | |
    /// | Email, EmailAggressive | email | email-tracking pixels and links |
    /// | ConsentManagers | consent | |
    /// | Anti-fraud | other | bot and fraud detection: not ads, and we do not claim it fingerprints |
    /// | Disconnect (2020) | other | Disconnect's own Facebook/Google/Twitter block list; those domains get their real categories from the other groups |
    public static let disconnectCategories: [String: TrackerCategory] = [
        "Advertising": .advertising,
        "Analytics": .analytics,
        "Social": .social,
        "Content": .content,
        "FingerprintingInvasive": .fingerprinting,
        "FingerprintingGeneral": .fingerprinting,
        "Fingerprinting": .fingerprinting,
        "Cryptomining": .cryptomining,
        "Email": .email,
        "EmailAggressive": .email,
        "ConsentManagers": .consent,
        "Anti-fraud": .other,
        "Disconnect": .other,
    ]

    /// DuckDuckGo Tracker Data Set `categories`.
    ///
    /// | DuckDuckGo | Crumbs | why |
    /// |---|---|---|
    /// | Advertising, Ad Motivated Tracking, Action Pixels | advertising | conversion pixels exist to attribute ads |
    /// | Analytics, Audience Measurement, Third-Party Analytics Marketing | analytics | |
    /// | Social - Share, Social - Comment, Social Network | social | |
    /// | Session Replay | sessionReplay | |
    /// | Tag Manager | tagManager | |
    /// | Embedded Content, Content Delivery, Support Chat Widget | content | things the page shows on purpose |
    /// | Ad Fraud, Badge, Federated Login, SSO, Online Payment | other | a role, not a tracking purpose; login buttons are not share buttons |
    /// | Malware, Obscure Ownership, Unknown High Risk Behavior | other | warnings about the company, not what the host does |
    public static let duckDuckGoCategories: [String: TrackerCategory] = [
        "Advertising": .advertising,
        "Ad Motivated Tracking": .advertising,
        "Action Pixels": .advertising,
        "Analytics": .analytics,
        "Audience Measurement": .analytics,
        "Third-Party Analytics Marketing": .analytics,
        "Social - Share": .social,
        "Social - Comment": .social,
        "Social Network": .social,
        "Session Replay": .sessionReplay,
        "Tag Manager": .tagManager,
        "Embedded Content": .content,
        "Content Delivery": .content,
        "Support Chat Widget": .content,
        "Ad Fraud": .other,
        "Badge": .other,
        "Federated Login": .other,
        "SSO": .other,
        "Online Payment": .other,
        "Malware": .other,
        "Obscure Ownership": .other,
        "Unknown High Risk Behavior": .other,
    ]

    /// The Disconnect category `name`, or nil when the table does not know it.
    public static func fromDisconnect(_ name: String) -> TrackerCategory? {
        disconnectCategories[name]
    }

    /// The DuckDuckGo category `name`, or nil when the table does not know it.
    public static func fromDuckDuckGo(_ name: String) -> TrackerCategory? {
        duckDuckGoCategories[name]
    }
}

extension SocialWidget.Kind {
    /// Privacy Badger widgets: buttons are share buttons (social); iframe embeds (players) are
    /// content, as Disconnect and DuckDuckGo file them; script widgets (Disqus comments,
    /// reCAPTCHA) are content too, since reCAPTCHA on `google.com` must not make Google Search a
    /// share button. Disqus still gets social from DuckDuckGo's "Social - Comment".
    public var category: TrackerCategory {
        switch self {
        case .button: .social
        case .embed, .widget: .content
        }
    }
}
