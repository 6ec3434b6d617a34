/// A Workers-style request handler: the runtime calls `fetch` once per request.
///
/// ```swift
/// struct Hello: Worker {
///     func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
///         .text("hello from \(request.path)")
///     }
/// }
/// ```
/// A thrown error becomes a 500 JSON error; the runtime logs it with the request id.
public protocol Worker: Sendable {
    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response
}

/// A worker made from a closure, for tests and small demos.
public struct ClosureWorker: Worker {
    private let handler: @Sendable (Request, Env, ExecutionContext) async throws -> Response

    public init(_ handler: @escaping @Sendable (Request, Env, ExecutionContext) async throws -> Response) {
        self.handler = handler
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        try await handler(request, env, ctx)
    }
}
