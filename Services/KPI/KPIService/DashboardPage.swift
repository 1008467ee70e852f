import FoundationEssentials

/// The HTML dashboard (KP-6), rendered on the server from the same figures as the JSON API:
/// figure cards, unit ranking bars, monthly trend lines and the week's hot places, as inline
/// SVG with no script and no external asset, so it works offline and on a wall screen.
/// Every number carries its exact value in a `data-` attribute for machines to compare.
struct DashboardPage {
    let county: String
    let period: String
    let asOf: String
    let definitionVersion: String
    let total: [KPICalculator.Figure]
    let ranking: [MonthlyReport.RankedUnit]
    /// County rates per month, oldest first.
    let trend: [MonthlyReport.TrendPoint]
    let hotWeek: String
    let hotPlaces: [HotTopics.Topic]

    static let cards: [(id: String, label: String)] = [
        ("received", "受理量"), ("assignments", "派单量"), ("response_rate", "响应率"), ("on_time_rate", "按时办结率"),
        ("resolution_rate", "解决率"), ("satisfaction_rate", "满意率"), ("composite", "综合得分"), ("overdue_backlog", "超期积压"),
    ]
    static let trendLines: [(key: String, label: String, colour: String, value: @Sendable (MonthlyReport.Rates) -> Double?)] = [
        ("composite", "综合得分", "#1f5fae", { $0.composite.map { $0 / 100 } }),
        ("on_time_rate", "按时办结率", "#2e8b57", { $0.onTimeRate }),
        ("satisfaction_rate", "满意率", "#c0392b", { $0.satisfactionRate }),
    ]

    func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(county))12345热线考评看板 \(Self.escape(period))</title>
            <style>
            body{font-family:sans-serif;margin:24px;color:#222;background:#f6f7f9}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px} .meta{color:#666;font-size:13px}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}
            .card{background:#fff;border-radius:6px;padding:12px 16px;min-width:120px;box-shadow:0 1px 2px #0002}
            .card .v{font-size:24px;font-weight:bold} .card .n{color:#666;font-size:12px}
            svg{background:#fff;border-radius:6px;box-shadow:0 1px 2px #0002}
            table{border-collapse:collapse;background:#fff} td,th{padding:4px 10px;border-bottom:1px solid #eee;text-align:right}
            td:first-child,th:first-child{text-align:left}
            </style></head><body>
            <h1>\(Self.escape(county))12345热线考评看板</h1>
            <div class="meta" id="meta" data-period="\(Self.escape(period))" data-as-of="\(Self.escape(asOf))">期间 \(Self.escape(period)) · 截至 \(Self.escape(asOf)) · 指标口径 \(Self.escape(definitionVersion))</div>
            <div class="cards" id="figures">

            """
        for card in Self.cards {
            guard let f = total.first(where: { $0.id == card.id }) else { continue }
            let shown = Self.show(f)
            let counts = f.denominator.map { d in "\(f.numerator ?? 0)/\(d)" + (f.pending.map { $0 > 0 ? " · 待定\($0)" : "" } ?? "") } ?? ""
            html += """
                <div class="card" data-figure="\(card.id)" data-value="\(Self.number(f.value))"><div class="n">\(card.label)</div>\
                <div class="v">\(shown)</div><div class="n">\(Self.escape(counts))</div></div>

                """
        }
        html += "</div>\n<h2>承办单位排名（综合得分）</h2>\n" + rankingChart() + "\n<h2>近六个月趋势（全县）</h2>\n" + trendChart()
        html += "\n<h2>本周热点区域（\(Self.escape(hotWeek))）</h2>\n" + hotTable() + "\n</body></html>\n"
        return html
    }

    /// Horizontal bars, one per ranked unit, length by composite (0–100).
    func rankingChart() -> String {
        let rowHeight = 22, labelWidth = 190, barWidth = 420
        let height = max(1, ranking.count) * rowHeight + 10
        var svg = "<svg id=\"ranking\" width=\"\(labelWidth + barWidth + 70)\" height=\"\(height)\" role=\"img\" aria-label=\"承办单位排名\">\n"
        for (i, r) in ranking.enumerated() {
            let y = 5 + i * rowHeight
            let length = Int(((r.rates.composite ?? 0) / 100 * Double(barWidth)).rounded())
            let colour = i >= ranking.count - 3 && ranking.count >= 4 ? "#c0392b" : "#1f5fae"
            svg += """
                <g data-unit="\(Self.escape(r.unit))" data-rank="\(r.rank)" data-composite="\(Self.number(r.rates.composite))">\
                <text x="\(labelWidth - 6)" y="\(y + 15)" text-anchor="end" font-size="12">\(r.rank). \(Self.escape(r.name))</text>\
                <rect x="\(labelWidth)" y="\(y + 3)" width="\(length)" height="\(rowHeight - 6)" fill="\(colour)"></rect>\
                <text x="\(labelWidth + length + 6)" y="\(y + 15)" font-size="12">\(r.rates.composite.map { String(cFormat: "%.2f", $0) } ?? "—")</text></g>

                """
        }
        if ranking.isEmpty { svg += "<text x=\"10\" y=\"18\" font-size=\"13\">本期无派单</text>\n" }
        return svg + "</svg>"
    }

    /// One polyline per rate over the months; a gap where a month has no value.
    func trendChart() -> String {
        let width = 640, height = 240, left = 50, right = 20, top = 20, bottom = 40
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ i: Int) -> Int { left + (trend.count <= 1 ? plotWidth / 2 : i * plotWidth / (trend.count - 1)) }
        func y(_ v: Double) -> Int { top + Int(((1 - v) * Double(plotHeight)).rounded()) }
        var svg = "<svg id=\"trend\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"近六个月趋势\">\n"
        for tick in [0.0, 0.5, 1.0] {
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#ddd\"></line>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\" font-size=\"11\">\(Int(tick * 100))%</text>\n"
        }
        for (i, point) in trend.enumerated() {
            svg += "<text x=\"\(x(i))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\" font-size=\"11\">\(Self.escape(point.period))</text>\n"
        }
        for (n, line) in Self.trendLines.enumerated() {
            svg += "<g data-line=\"\(line.key)\">"
            var run: [String] = []
            func flush() {
                if run.count > 1 { svg += "<polyline fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"></polyline>" }
                run = []
            }
            for (i, point) in trend.enumerated() {
                guard let v = line.value(point.rates) else {
                    flush()
                    continue
                }
                run.append("\(x(i)),\(y(v))")
                svg += "<circle cx=\"\(x(i))\" cy=\"\(y(v))\" r=\"3\" fill=\"\(line.colour)\" data-month=\"\(Self.escape(point.period))\" data-value=\"\(Self.number(v))\"></circle>"
            }
            flush()
            svg += "<text x=\"\(left + n * 150)\" y=\"\(height - 6)\" font-size=\"12\" fill=\"\(line.colour)\">■ \(line.label)</text></g>\n"
        }
        return svg + "</svg>"
    }

    func hotTable() -> String {
        var table = "<table id=\"hotspots\"><thead><tr><th>区域</th><th>本周</th><th>上周</th><th>环比</th><th>去年同周</th><th>同比</th></tr></thead><tbody>\n"
        func growth(_ g: Double?) -> String { g.map { String(cFormat: "%+.1f%%", $0 * 100) } ?? "—" }
        for t in hotPlaces {
            table += "<tr data-key=\"\(Self.escape(t.key))\" data-count=\"\(t.count)\"><td>\(Self.escape(t.name))</td><td>\(t.count)</td><td>\(t.previousWeek)</td>"
                + "<td>\(growth(t.weekOverWeek))</td><td>\(t.sameWeekLastYear)</td><td>\(growth(t.yearOverYear))</td></tr>\n"
        }
        if hotPlaces.isEmpty { table += "<tr><td colspan=\"6\">本周无诉求</td></tr>\n" }
        return table + "</tbody></table>"
    }

    /// A figure as shown: rates as percentages, counts whole, the composite and hours with 2 decimals.
    static func show(_ f: KPICalculator.Figure) -> String {
        guard let v = f.value else { return "—" }
        if f.id.hasSuffix("_rate") { return String(cFormat: "%.2f%%", v * 100) }
        if f.id == "composite" || f.id == "avg_handling_hours" { return String(cFormat: "%.2f", v) }
        return String(Int(v))
    }

    /// The exact value as the JSON API writes it ("" for null).
    static func number(_ v: Double?) -> String {
        guard let v else { return "" }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
