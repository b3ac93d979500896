extension HTMLGraphPage {
    /// Full-height canvas under a wrapping toolbar: usable from a phone to a wide screen.
    static let style = #"""
        *{box-sizing:border-box}html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",
        Helvetica,Arial,sans-serif;color:#111827;background:#f9fafb}body{display:flex;flex-direction:column}
        header{padding:8px 12px;background:#fff;border-bottom:1px solid #e5e7eb}h1{font-size:16px;margin:0 0 6px}
        #controls{display:flex;flex-wrap:wrap;gap:6px;align-items:center}#controls input{flex:1 1 12em;min-width:8em}
        #controls input,#controls select,#controls button{font:inherit;padding:4px 8px;border:1px solid #d1d5db;
        border-radius:6px;background:#fff;max-width:100%}#status{color:#4b5563;font-size:13px}
        main{position:relative;flex:1;min-height:300px}canvas{display:block;width:100%;height:100%;cursor:grab;
        touch-action:none}canvas.dragging{cursor:grabbing}#tip{position:absolute;pointer-events:none;
        background:rgba(17,24,39,.92);color:#fff;padding:6px 8px;border-radius:6px;font-size:12px;max-width:22em;
        white-space:pre-line;overflow-wrap:anywhere}
        """#
}
