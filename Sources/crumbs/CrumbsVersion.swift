/// The version `crumbs --version` prints. Raised by hand with each release; the README's
/// changes say what each brought.
enum CrumbsVersion {
    static let number = "0.1.0"
    static var description: String { "crumbs \(number)" }
}
