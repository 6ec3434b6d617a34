import EdgeRuntime
import Testing

@testable import AIProxy

/// A follower that joins late gets the chunks so far, then the rest as the leader writes them.
@Suite struct SharedReplyTests {
    @Test func aLateJoinerGetsTheChunksSoFarThenTheRestLive() async throws {
        let inFlight = InFlightCalls()
        guard case .leader(let shared) = inFlight.enter("k") else {
            Issue.record("the first call leads")
            return
        }
        shared.publish(.reply(status: 200, headers: ["content-type": "text/event-stream"]))
        shared.append(Array("data: 1\n\n".utf8))
        shared.append(Array("data: 2\n\n".utf8))
        guard case .follower(let joined) = inFlight.enter("k") else {
            Issue.record("the second follows")
            return
        }
        let reply = try await CoalescingStep.follow(joined)
        #expect(reply.status == 200 && reply.headers["content-type"] == "text/event-stream")
        let reading = Task { try await reply.body.text(upTo: 1 << 16) }
        try await Task.sleep(for: .milliseconds(20))
        shared.append(Array("data: 3\n\n".utf8))
        shared.end(nil)
        inFlight.leave("k", shared)
        #expect(try await reading.value == "data: 1\n\ndata: 2\n\ndata: 3\n\n")
        guard case .leader = inFlight.enter("k") else {
            Issue.record("after the leader left, a new call leads")
            return
        }
    }

    @Test func noOneJoinsAnEndedReplyAndAFailureReachesTheFollowers() async throws {
        let shared = SharedReply()
        #expect(shared.join())
        shared.publish(.failure(ProxyError.upstreamTimeout))
        await #expect(throws: ProxyError.upstreamTimeout) { _ = try await CoalescingStep.follow(shared) }
        #expect(!shared.join(), "an ended reply takes no followers")
    }
}
