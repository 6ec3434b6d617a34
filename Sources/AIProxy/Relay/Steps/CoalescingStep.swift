import EdgeRuntime

/// Identical cacheable calls in flight at once go upstream once (`x-bt-coalesce: never` opts a
/// call out). The first is the leader; a call with the same cache key (same scope) arriving while
/// it runs follows it: it gets the leader's head, then its body's chunks so far and the rest live
/// (``SharedReply``). With a fleet binding, instances also coalesce with each other
/// (``FleetCoalescing``): an instance whose call finds another instance leading answers from the
/// entry that call caches.
///
/// A leader's failure is not cached: the followers waiting on it get the same error status (or
/// stream end) once, and the next call tries again. Each reply says its role in
/// `x-bt-coalesced: leader|follower`. A leader whose own client goes away goes on for its
/// followers.
struct CoalescingStep: RelayStep {
    let inFlight: InFlightCalls
    let fleet: FleetCoalescing?

    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response {
        guard let key = try Self.coalescing(call) else { return try await next(call) }
        return try await coalesce(call, key: key, next: next)
    }

    /// The cache key to coalesce `call` on; `nil` when it isn't coalesced (not read from the cache,
    /// or `x-bt-coalesce: never`).
    @inline(never)
    private static func coalescing(_ call: RelayCall) throws -> CacheKey? {
        let mode = call.call.headers["x-bt-coalesce"]?.trimmingSpacesAndTabs.lowercased() ?? "auto"
        guard mode == "auto" || mode == "never" else {
            throw ProxyError.invalidHeader(name: "x-bt-coalesce", reason: "expected auto or never, got \(mode)")
        }
        guard let key = call.cacheKey, call.cachePolicy.read, mode == "auto" else { return nil }
        return key
    }

    /// A call that leads or follows the identical ones in flight. Out of `handle`, so a call that
    /// isn't coalesced doesn't hold this larger frame for its whole length.
    @inline(never)
    private func coalesce(_ call: RelayCall, key: CacheKey, next: RelayNext) async throws -> Response {
        switch inFlight.enter(key.storageKey) {
        case .follower(let shared):
            return try await Self.follow(shared)
        case .leader(let shared):
            let exit = LeaderExit(inFlight: inFlight, key: key.storageKey, shared: shared)
            var response: Response
            do {
                response = try await lead(call, key: key, next: next, exit: exit)
            } catch {
                shared.publish(.failure(error))
                exit.now()
                throw error
            }
            if response.headers["x-bt-coalesced"] == nil { response.headers["x-bt-coalesced"] = "leader" }
            var headers = response.headers
            headers["x-bt-coalesced"] = "follower"
            if let bytes = response.body.knownBytes {
                shared.append(bytes)
                shared.end(nil)
                shared.publish(.reply(status: response.status, headers: headers))
                exit.now()
                return response
            }
            shared.publish(.reply(status: response.status, headers: headers))
            response.body = Self.sharing(response.body, with: shared, exit: exit)
            return response
        }
    }

    /// Upstream, unless another instance of the fleet is already there.
    private func lead(_ call: RelayCall, key: CacheKey, next: RelayNext, exit: LeaderExit) async throws -> Response {
        guard let fleet else { return try await next(call) }
        switch try await fleet.turn(for: key, maxAge: call.cachePolicy.maxAge, holder: call.ctx.requestID) {
        case .entry(let entry):
            var hit = CacheLookupStep.hit(entry, now: fleet.cache.clock.now())
            hit.headers["x-bt-coalesced"] = "follower"
            return hit
        case .lead(let lease):
            exit.lease = lease
            return try await next(call)
        }
    }

    /// A follower's reply: the leader's head, then every chunk of its body.
    static func follow(_ shared: SharedReply) async throws -> Response {
        switch await shared.head() {
        case .failure(let error):
            throw error
        case .reply(let status, let headers):
            if let bytes = shared.wholeBody {
                return Response(status: status, headers: headers, body: Body(bytes: bytes))
            }
            return Response(
                status: status, headers: headers,
                body: Body { output in
                    var index = 0
                    while true {
                        switch await shared.next(index) {
                        case .chunk(let chunk):
                            try await output.write(chunk)
                            index += 1
                        case .end: return
                        case .failed(let error): throw error
                        }
                    }
                })
        }
    }

    /// The leader's body, each chunk kept for the followers as its client gets it. If the
    /// leader's client goes away while others follow, the body goes on for them.
    static func sharing(_ body: Body, with shared: SharedReply, exit: LeaderExit) -> Body {
        Body { output in
            let clientGone = LockedValue(false)
            let teeing = BodyOutput { chunk in
                shared.append(chunk)
                guard !clientGone.withLock({ $0 }) else { return }
                do {
                    try await output.write(chunk)
                } catch {
                    guard shared.hasFollowers else { throw error }
                    clientGone.withLock { $0 = true }
                }
            }
            do {
                try await body.write(to: teeing)
            } catch {
                shared.end(error)
                exit.now()
                throw error
            }
            shared.end(nil)
            exit.now()
            if clientGone.withLock({ $0 }) { throw CancellationError() }
        }
    }
}
