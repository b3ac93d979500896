/// The interactive graph page's script and style (`Resources/graph.js`, `Resources/graph.css`),
/// compiled in: inlined by `HTMLGraphExporter` (a file that works offline and can be mailed) and
/// served as files by the dashboard (whose Content-Security-Policy allows no inline script).
public enum HTMLGraphPage {
    public static let script = String(decoding: PackageResources.graph_js, as: UTF8.self)
    public static let style = String(decoding: PackageResources.graph_css, as: UTF8.self)
}
