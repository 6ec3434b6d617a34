extension Body {
    /// Reads the whole body into memory, failing with ``BodyError/Code/tooLarge`` past `limit` bytes.
    ///
    /// - Throws: ``BodyError`` when the body is longer than `limit`, or whatever the stream throws.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        if let bytes = knownBytes {
            guard bytes.count <= limit else { throw BodyError.tooLarge(limit: limit) }
            return bytes
        }
        var collected: [UInt8] = []
        for try await chunk in self {
            guard collected.count + chunk.count <= limit else {
                cancelReader()
                throw BodyError.tooLarge(limit: limit)
            }
            collected.append(contentsOf: chunk)
        }
        return collected
    }

    /// Reads the whole body as UTF-8 text, with the same limit as ``collect(upTo:)``.
    public func text(upTo limit: Int) async throws -> String {
        String(decoding: try await collect(upTo: limit), as: UTF8.self)
    }

    /// Tells the producer that nobody will read further (Workers' `body.cancel()`): a streamed
    /// upstream body stops its transfer and frees the connection.
    public func cancel() { cancelReader() }

    /// Tells a streamed body's producer that nobody will read further.
    func cancelReader() {
        if case .channel(let reader) = storage { reader.channel.cancel() }
    }
}

extension BodyError {
    static func tooLarge(limit: Int) -> BodyError {
        BodyError(code: .tooLarge, message: "body is larger than \(limit) bytes")
    }
}
