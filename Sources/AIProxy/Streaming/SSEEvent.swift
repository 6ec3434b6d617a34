/// One Server-Sent Event (WHATWG HTML §9.2): what OpenAI and Anthropic streams are made of.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field; `nil` means the default `message` type.
    public var event: String?
    /// The `data:` lines joined with `\n`.
    public var data: String
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// OpenAI's end-of-stream sentinel, `data: [DONE]`.
    public static let done = SSEEvent(data: "[DONE]")

    /// Whether this is `data: [DONE]`.
    public var isDone: Bool { event == nil && data == "[DONE]" }

    /// The wire form: fields, then a blank line.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        if let id { out.append(contentsOf: "id: \(id)\n".utf8) }
        if let event { out.append(contentsOf: "event: \(event)\n".utf8) }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(contentsOf: "data: ".utf8)
            out.append(contentsOf: line.utf8)
            out.append(0x0A)
        }
        out.append(0x0A)
        return out
    }
}
