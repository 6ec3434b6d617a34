import Synchronization

/// The runtime's `fetch`: libcurl's multi interface on the event loops, streaming bodies.
///
/// Each loop has its own multi handle (and so its own connection cache); a fetch made from a
/// request handler runs on that handler's loop. The response is returned as soon as its head
/// arrives; its body streams with backpressure (the transfer pauses while the reader is behind).
///
/// ```swift
/// let client = CurlFetchClient(group: group)
/// let response = try await client.fetch(Request(url: "http://127.0.0.1:9000/"))
/// for try await chunk in response.body { … }
/// ```
public final class CurlFetchClient: FetchClient {
    private let multis: [ObjectIdentifier: CurlMulti]
    private let group: EventLoopGroup
    public let configuration: FetchConfiguration

    public init(group: EventLoopGroup, configuration: FetchConfiguration = .init()) {
        self.group = group
        self.configuration = configuration
        multis = Dictionary(uniqueKeysWithValues: group.loops.map { (ObjectIdentifier($0), CurlMulti(loop: $0)) })
    }

    public func fetch(_ request: Request) async throws -> Response {
        let body: [UInt8]
        do {
            body = try await request.body.collect(upTo: configuration.maxRequestBodyBytes)
        } catch let error as BodyError where error.code == .tooLarge {
            throw FetchError(
                code: .tooLarge, message: "request body is larger than \(configuration.maxRequestBodyBytes) bytes")
        }
        let loop = group.next()
        guard let multi = multis[ObjectIdentifier(loop)] else {
            preconditionFailure("every loop of the group has a curl multi handle")
        }
        let transfer = CurlTransfer(request: request, body: body, configuration: configuration, multi: multi)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                loop.execute { transfer.begin(continuation) }
            }
        } onCancel: {
            loop.execute { transfer.cancel() }
        }
    }
}
