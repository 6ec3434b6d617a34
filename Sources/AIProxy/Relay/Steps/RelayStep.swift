public import EdgeRuntime

/// One step of the relay: does its part of a call and hands it on (Hummingbird's middleware).
///
/// A step may answer by itself (a cache hit), pass a changed copy of the call on, register a
/// hook for when the reply is over, or wrap what the next steps answer.
///
/// A step's async frame stays allocated until the call's response is returned — for a stream
/// waiting on a slow upstream, seconds, times every stream in flight. So `handle` keeps little:
/// synchronous work goes in synchronous functions and paths most calls don't take in functions of
/// their own (`@inline(never)`, or the compiler folds their locals back into the frame).
public protocol RelayStep: Sendable {
    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response
}

/// The rest of the relay after a step.
public struct RelayNext: Sendable {
    let chain: RelayChain
    /// The first step still to run (`chain.steps.count`: only the terminal is left).
    let index: Int

    /// Runs the remaining steps, then the terminal.
    public func callAsFunction(_ call: RelayCall) async throws -> Response {
        guard index < chain.steps.count else { return try await chain.terminal(call) }
        return try await chain.steps[index].handle(call, next: RelayNext(chain: chain, index: index + 1))
    }
}

/// A relay's steps and what answers after the last, built once: a call walks it by index.
final class RelayChain: Sendable {
    let steps: [any RelayStep]
    let terminal: @Sendable (RelayCall) async throws -> Response

    init(steps: [any RelayStep], terminal: @escaping @Sendable (RelayCall) async throws -> Response) {
        self.steps = steps
        self.terminal = terminal
    }
}
