import Testing

@testable import EdgeRuntime

/// The handoff is loop-confined; an actor stands in for the loop here (one caller at a time).
private actor Loop {
    let handoff = RequestHandoff<Int>()
    func offer(_ item: Int) { handoff.offer(item) }
    func take() async -> Int? { await handoff.take() }
    func finish() { handoff.finish() }
}

@Suite struct RequestHandoffTests {
    @Test func anOfferedItemIsTakenAndThenTheNextOne() async {
        let loop = Loop()
        await loop.offer(1)
        #expect(await loop.take() == 1)
        await loop.offer(2)
        #expect(await loop.take() == 2)
    }

    @Test func aTakeWaitsForTheNextOffer() async {
        let loop = Loop()
        async let taken = loop.take()
        try? await Task.sleep(for: .milliseconds(20))
        await loop.offer(7)
        #expect(await taken == 7)
    }

    @Test func finishingEndsAWaitingTakeAndEveryLaterOne() async {
        let loop = Loop()
        async let waiting = loop.take()
        try? await Task.sleep(for: .milliseconds(20))
        await loop.finish()
        #expect(await waiting == nil)
        await loop.offer(3)
        #expect(await loop.take() == nil, "nothing is handed over after finish")
    }
}
