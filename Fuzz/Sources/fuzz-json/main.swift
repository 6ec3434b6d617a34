import AIProxy
import FuzzHarness

// `JSONValue(parsing:)` on arbitrary bytes. A document it accepts must survive serialize → parse
// unchanged, and its canonical form (the cache key's input) must be a fixed point.
FuzzDriver.run { bytes in
    guard let value = try? JSONValue(parsing: bytes) else { return }
    let serialized = value.serialized
    guard let reparsed = try? JSONValue(parsing: serialized) else {
        fuzzFailure("serialized JSON does not parse: \(serialized.debugText)")
    }
    fuzzCheck(reparsed == value, "serialize → parse changed the document: \(serialized.debugText)")
    let canonical = value.canonical
    guard let fromCanonical = try? JSONValue(parsing: canonical) else {
        fuzzFailure("canonical JSON does not parse: \(canonical.debugText)")
    }
    fuzzCheck(fromCanonical.canonical == canonical, "canonical form is not a fixed point: \(canonical.debugText)")
}
