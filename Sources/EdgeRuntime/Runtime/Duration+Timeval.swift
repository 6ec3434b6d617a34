import CCurl
import CEvent
import CHiredis
import Glibc

// `struct timeval` reaches Swift through whichever C module Clang built first (libevent defines
// _GNU_SOURCE, DESIGN §3), and with MemberImportVisibility its initializer is only visible where
// that module is imported — which differed between debug and release builds. One conversion,
// in a file importing them all, sidesteps it.
extension Duration {
    /// This duration as a C `timeval` (microsecond precision, never negative).
    var timevalue: timeval {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return timeval(tv_sec: 0, tv_usec: 0) }
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
