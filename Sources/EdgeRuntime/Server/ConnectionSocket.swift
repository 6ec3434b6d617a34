import CEvent
import Glibc

/// What a ``ConnectionSocket`` tells its connection.
protocol ConnectionSocketDelegate: AnyObject {
    /// Bytes arrived (valid only during the call).
    func socketRead(_ bytes: UnsafeRawBufferPointer)
    /// The peer closed, or the socket failed: nothing more will be read or written.
    func socketEnded()
    /// Everything queued has been written.
    func socketFlushed()
}

/// A client socket on an event loop, read and written directly (nginx's way) rather than
/// through a libevent bufferevent.
///
/// The read event is registered once and stays. Writes are queued and sent together once the
/// loop is done with the current callbacks (one `send` for a response's head, chunks and end,
/// as the bufferevent's `writev` did); only what the kernel doesn't take waits for a write
/// event, registered until the queue is empty. A request and its response then cost a
/// wake-up, a `recv` and a `send` — the bufferevent added an `ioctl(FIONREAD)` per read and two
/// `epoll_ctl` and a wake-up per response, turning its write event on and off
/// (`../shared/notes/miss-path-profile.md`).
///
/// - Important: confined to its loop's thread.
final class ConnectionSocket {
    let fd: Int32
    weak var delegate: (any ConnectionSocketDelegate)?
    private var readEvent: OpaquePointer?
    private var writeEvent: OpaquePointer?
    private var queue: [UInt8] = []
    private var queueStart = 0
    private var reading = false
    /// The write event is registered: the kernel's buffer was full.
    private var writing = false
    /// A flush is due at the end of this loop turn.
    private var flushScheduled = false
    private(set) var isBroken = false

    /// Bytes read per `recv`; a read that fills it is followed by another.
    private static let readSize = 16 * 1024

    init(fd: Int32, base: OpaquePointer) {
        self.fd = fd
        let pointer = Unmanaged.passUnretained(self).toOpaque()
        readEvent = event_new(base, fd, Int16(EV_READ | EV_PERSIST), { _, _, pointer in
            Unmanaged<ConnectionSocket>.fromOpaque(pointer!).takeUnretainedValue().readable()
        }, pointer)
        writeEvent = event_new(base, fd, Int16(EV_WRITE | EV_PERSIST), { _, _, pointer in
            Unmanaged<ConnectionSocket>.fromOpaque(pointer!).takeUnretainedValue().writable()
        }, pointer)
    }

    deinit { close() }

    /// Bytes written by ``write(_:)`` that the kernel has not taken yet.
    var queuedBytes: Int { queue.count - queueStart }

    /// Starts (or resumes) delivering what arrives.
    func resumeReading() {
        guard !reading, let readEvent else { return }
        reading = true
        event_add(readEvent, nil)
    }

    /// Stops delivering until ``resumeReading()`` (the kernel buffers meanwhile).
    func pauseReading() {
        guard reading, let readEvent else { return }
        reading = false
        event_del(readEvent)
    }

    /// Queues `bytes`; they go out with whatever else is written in this loop turn.
    func write(_ bytes: [UInt8]) {
        guard !isBroken, !bytes.isEmpty, let writeEvent else { return }
        if queue.isEmpty {
            queue = bytes
        } else {
            queue.append(contentsOf: bytes)
        }
        guard !writing, !flushScheduled else { return }
        // Runs `writable` after the callbacks of this turn: no system call to schedule it.
        flushScheduled = true
        event_active(writeEvent, Int32(EV_WRITE), 0)
    }

    /// No more writes from here (a half-close, for a lingering close).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Frees the events and closes the socket; nothing is delivered afterwards.
    func close() {
        reading = false
        writing = false
        if let readEvent { event_free(readEvent) }
        if let writeEvent { event_free(writeEvent) }
        readEvent = nil
        writeEvent = nil
        if fd >= 0, !isClosed {
            isClosed = true
            Glibc.close(fd)
        }
    }

    private var isClosed = false

    // MARK: events

    private func readable() {
        if isBroken { return end() }
        var ended = false
        withUnsafeTemporaryAllocation(byteCount: Self.readSize, alignment: 1) { buffer in
            while reading {
                let count = recv(fd, buffer.baseAddress, buffer.count, 0)
                if count > 0 {
                    delegate?.socketRead(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                    // A short read drained the socket: don't spend a `recv` to hear EAGAIN.
                    if count < buffer.count { return }
                } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    ended = true
                    return
                } else if errno != EINTR {
                    return
                }
            }
        }
        if ended { end() }
    }

    private func writable() {
        flushScheduled = false
        guard !isBroken else { return }
        while queuedBytes > 0 {
            let sent = queue.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + queueStart, raw.count - queueStart, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                queueStart += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return startWriting()  // the rest when the kernel has room
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                return fail()
            }
        }
        queue.removeAll(keepingCapacity: queue.capacity <= 64 * 1024)
        queueStart = 0
        stopWriting()
        delegate?.socketFlushed()
    }

    private func startWriting() {
        guard !writing, let writeEvent else { return }
        writing = true
        event_add(writeEvent, nil)
    }

    private func stopWriting() {
        guard writing, let writeEvent else { return }
        writing = false
        event_del(writeEvent)
    }

    /// A write failed (the peer is gone): drop what is queued and report the end from the loop,
    /// not from inside the writer's call.
    private func fail() {
        isBroken = true
        queue = []
        queueStart = 0
        stopWriting()
        if let readEvent {
            reading = true
            event_add(readEvent, nil)
            event_active(readEvent, Int32(EV_READ), 0)
        }
    }

    private func end() {
        pauseReading()
        stopWriting()
        delegate?.socketEnded()
    }
}
