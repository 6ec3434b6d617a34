/// One Server-Sent Event (WHATWG HTML §9.2): what OpenAI and Anthropic streams are made of.
///
/// The data stays bytes from the wire to the translator's JSON parser and from a translated
/// chunk's serializer to the client: no `String` on the per-event path.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field; `nil` means the default `message` type.
    public var event: String?
    /// The `data:` lines joined with `\n`, as bytes (JSON, for the providers here).
    public var data: [UInt8]
    public var id: String?
    /// The data as JSON when the proxy built it from JSON (a translated chat chunk), so a next
    /// translator (the Responses bridge) needn't parse it back. Not part of equality.
    var json: JSONValue?

    public init(event: String? = nil, data: [UInt8], id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// An event of `json`, serialized, keeping the value.
    init(json: JSONValue) {
        self.init(data: json.serialized)
        self.json = json
    }

    public static func == (a: SSEEvent, b: SSEEvent) -> Bool { a.event == b.event && a.data == b.data && a.id == b.id }

    /// An event whose data is `text`'s UTF-8.
    public init(event: String? = nil, data text: String, id: String? = nil) {
        self.init(event: event, data: Array(text.utf8), id: id)
    }

    /// The data as text.
    public var text: String { String(decoding: data, as: UTF8.self) }

    /// OpenAI's end-of-stream sentinel, `data: [DONE]`.
    public static let done = SSEEvent(data: Self.doneData)
    private static let doneData = Array("[DONE]".utf8)

    /// Whether this is `data: [DONE]`.
    public var isDone: Bool { event == nil && data == Self.doneData }

    /// The wire form: fields, then a blank line.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16 + (event?.utf8.count ?? 0))
        if let id {
            out.append(contentsOf: "id: ".utf8)
            out.append(contentsOf: id.utf8)
            out.append(0x0A)
        }
        if let event {
            out.append(contentsOf: "event: ".utf8)
            out.append(contentsOf: event.utf8)
            out.append(0x0A)
        }
        var lineStart = data.startIndex
        repeat {
            let lineEnd = data[lineStart...].firstIndex(of: 0x0A) ?? data.endIndex
            out.append(contentsOf: "data: ".utf8)
            out.append(contentsOf: data[lineStart..<lineEnd])
            out.append(0x0A)
            lineStart = lineEnd + 1
        } while lineStart <= data.endIndex
        out.append(0x0A)
        return out
    }
}
