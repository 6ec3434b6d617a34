public import EdgeRuntime

/// One step of the relay: does its part of a call and hands it on (Hummingbird's middleware).
///
/// A step may answer by itself (a cache hit), pass a changed copy of the call on, register a
/// hook for when the reply is over, or wrap what the next steps answer.
public protocol RelayStep: Sendable {
    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response
}

/// The rest of the relay after a step.
public struct RelayNext: Sendable {
    let steps: ArraySlice<any RelayStep>
    let terminal: @Sendable (RelayCall) async throws -> Response

    /// Runs the remaining steps, then the terminal.
    public func callAsFunction(_ call: RelayCall) async throws -> Response {
        guard let step = steps.first else { return try await terminal(call) }
        return try await step.handle(call, next: RelayNext(steps: steps.dropFirst(), terminal: terminal))
    }
}
