import Foundation

/// Draws a run's timeline as an inline SVG chart: one row per step attempt, grouped by node, over
/// bands for the phases, with each outage as a red band labelled with its length.
///
/// The chart is plain SVG (no script, no external font or image), so it renders the same in a
/// browser, a mail client or a ticket system that accepts HTML.
public struct TimelineSVG: Sendable {
    public let timeline: ReportTimeline
    /// The chart's width in pixels.
    public var width = 1120

    let labelWidth = 200.0
    let rightPadding = 110.0
    let rowHeight = 24.0
    let top = 62.0

    public init(timeline: ReportTimeline) {
        self.timeline = timeline
    }

    /// Colours by phase: green while the old service serves, red while down, blue after, purple for rollback.
    static func colour(_ phase: ReportTimeline.Phase) -> String {
        switch phase {
        case .online: "#188038"
        case .outage: "#d93025"
        case .after: "#1a73e8"
        case .rollback: "#9334e6"
        }
    }

    /// The SVG element.
    public func render() -> String {
        let rows = layoutRows()
        let height = top + Double(rows.count) * rowHeight + 34
        let scale = Scale(
            length: max(timeline.length, 0.001), x0: labelWidth,
            width: Double(width) - labelWidth - rightPadding)
        let outage = ReportDuration.text(timeline.outageSeconds)
        var svg: [String] = []
        svg.append(
            """
            <svg class="timeline" width="\(width)" height="\(Int(height))" viewBox="0 0 \(width) \(Int(height))" \
            role="img" aria-label="\(ReportEscaping.html("Run timeline; outage \(outage)"))" \
            font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="12">
            """)
        let title = "Run timeline: \(timeline.spans.count) step attempts, outage \(outage)"
        svg.append(Self.tag("title", [:], text: title))
        svg.append(
            Self.tag("rect", ["x": "0", "y": "0", "width": "\(width)", "height": "\(Int(height))", "fill": "#ffffff"]))
        let bandTop = 4.0
        let bandHeight = height - bandTop - 26
        svg += phaseBands(scale: scale, top: bandTop, height: bandHeight)
        svg += axis(scale: scale, y: top - 8, bottom: height - 26)
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            switch row {
            case .lane(let name):
                svg.append(
                    Self.tag(
                        "text", ["x": "8", "y": fmt(y + 16), "font-weight": "bold", "fill": "#202124"],
                        text: name.isEmpty ? "deployment (every node)" : "node \(name)"))
            case .span(let span):
                svg += spanRow(span, y: y, scale: scale, shaded: index % 2 == 1)
            }
        }
        svg += outageLabels(scale: scale, y: bandTop + 24)
        svg += legend(y: height - 8)
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// One element, its attributes in the given order with every value escaped; `text` is escaped
    /// content, `inner` is markup built by this type.
    static func tag(
        _ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil, inner: String? = nil
    ) -> String {
        let list = attributes.map { " \($0.key)=\"\(ReportEscaping.html($0.value))\"" }.joined()
        let content = (text.map(ReportEscaping.html) ?? "") + (inner ?? "")
        return content.isEmpty ? "<\(name)\(list)/>" : "<\(name)\(list)>\(content)</\(name)>"
    }

    enum Row {
        case lane(String)
        case span(ReportTimeline.Span)
    }

    /// Rows in start order; with several nodes, each node's rows under a heading.
    func layoutRows() -> [Row] {
        guard timeline.lanes.count > 1 else { return timeline.spans.map(Row.span) }
        return timeline.lanes.flatMap { lane in
            [Row.lane(lane)] + timeline.spans.filter { $0.lane == lane }.map(Row.span)
        }
    }

    struct Scale {
        let length: Double
        let x0: Double
        let width: Double

        func x(_ seconds: Double) -> Double { x0 + max(0, min(seconds, length)) / length * width }
    }

    private func phaseBands(scale: Scale, top: Double, height: Double) -> [String] {
        var out: [String] = []
        if let online = timeline.onlinePhase {
            let (from, to) = (scale.x(online.start), scale.x(online.end))
            out.append(band(from, to, top, height, fill: "#e6f4ea"))
            if to - from > 150 {
                out.append(bandTitle("online: old OMS serving", x: (from + to) / 2, y: top + 15, colour: "#188038"))
            }
        }
        if let last = timeline.outages.last, timeline.length > last.end {
            let (from, to) = (scale.x(last.end), scale.x(timeline.length))
            out.append(band(from, to, top, height, fill: "#e8f0fe"))
            if to - from > 90 {
                out.append(bandTitle("serving again", x: (from + to) / 2, y: top + 15, colour: "#1a73e8"))
            }
        }
        for outage in timeline.outages {
            let (from, to) = widened(scale.x(outage.start), scale.x(outage.end), minimum: 6)
            out.append(
                Self.tag(
                    "rect",
                    [
                        "class": "outage-band", "x": fmt(from), "y": fmt(top), "width": fmt(to - from),
                        "height": fmt(height), "fill": "#fce8e6", "stroke": "#d93025", "stroke-width": "1.5",
                        "stroke-dasharray": "5 3",
                    ]))
        }
        return out
    }

    private func bandTitle(_ text: String, x: Double, y: Double, colour: String) -> String {
        Self.tag(
            "text", ["x": fmt(x), "y": fmt(y), "text-anchor": "middle", "fill": colour, "font-weight": "bold"],
            text: text)
    }

    private func outageLabels(scale: Scale, y: Double) -> [String] {
        var out: [String] = []
        for (index, outage) in timeline.outages.enumerated() {
            let name = timeline.outages.count > 1 ? "OUTAGE \(index + 1): " : "OUTAGE "
            let text = name + ReportDuration.text(outage.duration)
            let boxWidth = Double(text.count) * 8 + 16
            let (from, to) = widened(scale.x(outage.start), scale.x(outage.end), minimum: 6)
            let centre = (from + to) / 2
            let x = min(max(centre - boxWidth / 2, 2), Double(width) - boxWidth - 2)
            let box = Self.tag(
                "rect",
                ["x": fmt(x), "y": fmt(y - 22), "width": fmt(boxWidth), "height": "20", "rx": "4", "fill": "#d93025"])
            let label = Self.tag(
                "text",
                [
                    "x": fmt(x + boxWidth / 2), "y": fmt(y - 8), "text-anchor": "middle", "fill": "#ffffff",
                    "font-weight": "bold", "font-size": "13",
                ], text: text)
            out.append(Self.tag("g", ["class": "outage-label"], inner: box + label))
        }
        return out
    }

    private func axis(scale: Scale, y: Double, bottom: Double) -> [String] {
        let right = scale.x0 + scale.width
        var out = [
            Self.tag("line", ["x1": fmt(scale.x0), "y1": fmt(y), "x2": fmt(right), "y2": fmt(y), "stroke": "#5f6368"])
        ]
        let step = Self.tickStep(for: scale.length)
        var tick = 0.0
        while tick <= scale.length + step / 1000 {
            let x = scale.x(tick)
            out.append(
                Self.tag(
                    "line",
                    [
                        "x1": fmt(x), "y1": fmt(y - 4), "x2": fmt(x), "y2": fmt(bottom), "stroke": "#dadce0",
                        "stroke-width": "0.7",
                    ]))
            out.append(
                Self.tag(
                    "text",
                    ["x": fmt(x), "y": fmt(y - 6), "text-anchor": "middle", "fill": "#5f6368", "font-size": "11"],
                    text: Self.tickLabel(tick, step: step)))
            tick += step
        }
        return out
    }

    private func spanRow(_ span: ReportTimeline.Span, y: Double, scale: Scale, shaded: Bool) -> [String] {
        var out: [String] = []
        if shaded {
            out.append(
                Self.tag(
                    "rect",
                    [
                        "x": "0", "y": fmt(y), "width": "\(width)", "height": fmt(rowHeight), "fill": "#f1f3f4",
                        "fill-opacity": "0.55",
                    ]))
        }
        let label = span.attempt > 1 ? "\(span.step) (attempt \(span.attempt))" : span.step
        out.append(
            Self.tag(
                "text",
                [
                    "class": "step-label", "x": fmt(labelWidth - 8), "y": fmt(y + 16), "text-anchor": "end",
                    "fill": "#202124",
                ], text: label))
        let (from, to) = widened(scale.x(span.start), scale.x(span.end), minimum: 3)
        let colour = Self.colour(span.phase)
        let fill: String
        var opacity = "1"
        var dashes = "none"
        switch span.outcome {
        case .failed: fill = "#7f0000"
        case .interrupted, .running: (fill, opacity, dashes) = (colour, "0.45", "3 2")
        case .completed: fill = colour
        }
        let tip =
            "\(span.step): \(span.summary). \(span.outcome.rawValue), \(ReportDuration.text(span.duration))"
            + (span.message.map { ". \($0)" } ?? "")
        out.append(
            Self.tag(
                "rect",
                [
                    "class": "step-bar", "data-step": span.step, "data-phase": span.phase.rawValue, "x": fmt(from),
                    "y": fmt(y + 5), "width": fmt(to - from), "height": fmt(rowHeight - 10), "rx": "2",
                    "fill": fill, "fill-opacity": opacity, "stroke": colour, "stroke-dasharray": dashes,
                    "stroke-width": dashes == "none" ? "0" : "1",
                ], inner: Self.tag("title", [:], text: tip)))
        var note = ReportDuration.text(span.duration)
        if span.outcome != .completed { note += " · " + span.outcome.rawValue }
        out.append(
            Self.tag(
                "text", ["x": fmt(to + 5), "y": fmt(y + 16), "fill": "#3c4043", "font-size": "11"], text: note))
        return out
    }

    private func legend(y: Double) -> [String] {
        var out: [String] = []
        var x = labelWidth
        let items: [(String, String)] = [
            ("online (old OMS serving)", Self.colour(.online)), ("outage (OMS down)", Self.colour(.outage)),
            ("after (new OMS serving)", Self.colour(.after)), ("rollback", Self.colour(.rollback)),
            ("failed", "#7f0000"),
        ]
        for (text, colour) in items {
            out.append(
                Self.tag(
                    "rect",
                    ["x": fmt(x), "y": fmt(y - 10), "width": "12", "height": "12", "rx": "2", "fill": colour]))
            out.append(
                Self.tag(
                    "text", ["x": fmt(x + 16), "y": fmt(y), "fill": "#3c4043", "font-size": "11"], text: text))
            x += Double(text.count) * 6.6 + 34
        }
        return out
    }

    private func band(_ from: Double, _ to: Double, _ top: Double, _ height: Double, fill: String) -> String {
        Self.tag(
            "rect",
            ["x": fmt(from), "y": fmt(top), "width": fmt(max(0, to - from)), "height": fmt(height), "fill": fill])
    }

    /// Widens a too-narrow range around its centre so that it stays visible.
    private func widened(_ from: Double, _ to: Double, minimum: Double) -> (Double, Double) {
        guard to - from < minimum else { return (from, to) }
        let centre = (from + to) / 2
        return (centre - minimum / 2, centre + minimum / 2)
    }

    /// A tick step of 1, 2 or 5 times a power of ten giving about eight ticks.
    static func tickStep(for length: Double) -> Double {
        let raw = max(length, 0.001) / 8
        let power = pow(10, floor(log10(raw)))
        for factor in [1.0, 2.0, 5.0, 10.0] where raw <= factor * power { return factor * power }
        return 10 * power
    }

    static func tickLabel(_ seconds: Double, step: Double) -> String {
        if step >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        if step >= 1 { return "\(Int(seconds.rounded()))s" }
        return String(format: step >= 0.1 ? "%.1fs" : "%.2fs", seconds)
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Durations as the report prints them.
enum ReportDuration {
    /// `0.42 s`, `4.2 s`, `42 s`, `3 min 05 s`.
    static func text(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return "?" }
        if value < 1 { return String(format: "%.2f s", value) }
        if value < 60 { return String(format: "%.1f s", value) }
        let whole = Int(value.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }
}
