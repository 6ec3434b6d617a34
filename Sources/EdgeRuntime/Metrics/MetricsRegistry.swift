import FoundationEssentials

/// Counters, gauges and histograms with labels, rendered in Prometheus's text format (0.0.4) for
/// a `/metrics` scrape. Families are registered once at start; recording is a lock and a
/// dictionary update, so it is cheap on the request path.
public final class MetricsRegistry: Sendable {
    private let families = LockedValue<[MetricFamily]>([])

    public init() {}

    /// A counter family: `name` should end in `_total`.
    public func counter(_ name: String, help: String) -> MetricFamily {
        register(MetricFamily(name: name, help: help, kind: .counter))
    }

    /// A histogram family with the given bucket upper bounds (ascending; `+Inf` is added).
    public func histogram(_ name: String, help: String, buckets: [Double]) -> MetricFamily {
        register(MetricFamily(name: name, help: help, kind: .histogram(buckets)))
    }

    /// A gauge family read at scrape time (`read` returns the value).
    public func gauge(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        _ = register(MetricFamily(name: name, help: help, kind: .gauge(read)))
    }

    /// A gauge family set by its owner (`set`/`add`).
    public func gauge(_ name: String, help: String) -> MetricFamily {
        register(MetricFamily(name: name, help: help, kind: .settableGauge))
    }

    private func register(_ family: MetricFamily) -> MetricFamily {
        families.withLock { $0.append(family) }
        return family
    }

    /// Every family in the Prometheus text exposition format.
    public func render() -> String {
        var text = ""
        for family in families.withLock({ $0 }) { family.render(into: &text) }
        return text
    }

    /// The content type of ``render()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// One metric name with its series, one per label set.
public final class MetricFamily: Sendable {
    enum Kind: Sendable {
        case counter
        case histogram([Double])
        case gauge(@Sendable () -> Double)
        case settableGauge
    }

    public let name: String
    let help: String
    let kind: Kind
    private let series = LockedValue<[String: MetricSeries]>([:])

    init(name: String, help: String, kind: Kind) {
        self.name = name
        self.help = help
        self.kind = kind
    }

    /// Adds `amount` to a counter (or settable gauge) series.
    public func add(_ amount: Double = 1, _ labels: [(String, String)] = []) {
        series(MetricLabels(labels)).add(amount)
    }

    /// Adds `amount` to the series of a label set built once for several families.
    public func add(_ amount: Double = 1, _ labels: MetricLabels) {
        series(labels).add(amount)
    }

    /// Sets a settable gauge series.
    public func set(_ value: Double, _ labels: [(String, String)] = []) {
        series(MetricLabels(labels)).set(value)
    }

    /// Records one observation in a histogram series.
    public func observe(_ value: Double, _ labels: [(String, String)] = []) {
        series(MetricLabels(labels)).observe(value)
    }

    /// Records one observation in the series of a label set built once for several families.
    public func observe(_ value: Double, _ labels: MetricLabels) {
        series(labels).observe(value)
    }

    /// The series for `labels`, made on first use. A caller that updates the same series call
    /// after call can keep it and skip building the labels' key and finding it each time.
    public func series(_ labels: MetricLabels) -> MetricSeries {
        series.withLock { all in
            if let found = all[labels.key] { return found }
            let made = MetricSeries(labels: labels.pairs, buckets: kind.buckets)
            all[labels.key] = made
            return made
        }
    }

    func render(into text: inout String) {
        let type =
            switch kind {
            case .counter: "counter"
            case .histogram: "histogram"
            case .gauge, .settableGauge: "gauge"
            }
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        if case .gauge(let read) = kind {
            text += "\(name) \(Self.number(read()))\n"
            return
        }
        let all = series.withLock { $0.values.sorted { $0.labels.description < $1.labels.description } }
        for handle in all {
            let series = handle.snapshot
            guard series.touched else { continue }
            switch kind {
            case .histogram(let bounds):
                var cumulative: UInt64 = 0
                for (index, bound) in bounds.enumerated() {
                    cumulative += series.bucketCounts[index]
                    text += "\(name)_bucket\(Self.labels(handle.labels + [("le", Self.number(bound))])) \(cumulative)\n"
                }
                text += "\(name)_bucket\(Self.labels(handle.labels + [("le", "+Inf")])) \(series.count)\n"
                text += "\(name)_sum\(Self.labels(handle.labels)) \(Self.number(series.value))\n"
                text += "\(name)_count\(Self.labels(handle.labels)) \(series.count)\n"
            default:
                text += "\(name)\(Self.labels(handle.labels)) \(Self.number(series.value))\n"
            }
        }
    }

    static func labels(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        let body = labels.map { name, value in
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
            return "\(name)=\"\(escaped)\""
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension MetricFamily.Kind {
    /// A histogram's bucket bounds; `nil` for other kinds.
    var buckets: [Double]? {
        if case .histogram(let bounds) = self { return bounds }
        return nil
    }
}

/// One labelled series of a ``MetricFamily``: its own lock, so updates to different series
/// never wait on each other, and a handle callers may keep.
public final class MetricSeries: Sendable {
    struct State: Sendable {
        var value: Double = 0
        var bucketCounts: [UInt64] = []
        var count: UInt64 = 0
        /// Whether anything was recorded (a series kept ahead of use isn't rendered until then).
        var touched = false
    }

    let labels: [(String, String)]
    private let bounds: [Double]?
    private let state: LockedValue<State>

    init(labels: [(String, String)], buckets: [Double]?) {
        self.labels = labels
        bounds = buckets
        state = LockedValue(State(bucketCounts: buckets.map { Array(repeating: 0, count: $0.count) } ?? []))
    }

    var snapshot: State { state.withLock { $0 } }

    /// Adds to a counter or a settable gauge.
    public func add(_ amount: Double = 1) {
        state.withLock { series in
            series.value += amount
            series.touched = true
        }
    }

    /// Sets a settable gauge.
    public func set(_ value: Double) {
        state.withLock { series in
            series.value = value
            series.touched = true
        }
    }

    /// Counts one observation in a histogram (no-op on other kinds).
    public func observe(_ value: Double) {
        guard let bounds else { return }
        // The first bucket that holds the value (binary search); buckets are made cumulative
        // when rendered, so an observation touches one count, not every bucket above it.
        var low = 0
        var high = bounds.count
        while low < high {
            let middle = (low + high) / 2
            if value <= bounds[middle] { high = middle } else { low = middle + 1 }
        }
        let bucket = low
        state.withLock { series in
            if bucket < bounds.count { series.bucketCounts[bucket] += 1 }
            series.count += 1
            series.value += value
            series.touched = true
        }
    }
}

/// A label set and its series key, computed once: a call recorded in several families with the
/// same labels (or the same plus one) pays for the key once.
public struct MetricLabels: Sendable {
    public let pairs: [(String, String)]
    let key: String

    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs
        var key = ""
        for (name, value) in pairs { Self.append(name, value, to: &key) }
        self.key = key
    }

    private init(pairs: [(String, String)], key: String) {
        self.pairs = pairs
        self.key = key
    }

    /// These labels and one more.
    public func adding(_ name: String, _ value: String) -> MetricLabels {
        var key = self.key
        Self.append(name, value, to: &key)
        return MetricLabels(pairs: pairs + [(name, value)], key: key)
    }

    private static func append(_ name: String, _ value: String, to key: inout String) {
        key += name
        key += "\u{1}"
        key += value
        key += "\u{2}"
    }
}
