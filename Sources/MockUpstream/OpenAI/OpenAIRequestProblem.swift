import EdgeRuntime
import Foundation

/// Why OpenAI refuses a request: the message, `code` and `param` of its 400 error envelope,
/// worded as OpenAI words them so tests can match proxies' error pass-through against the real thing.
struct OpenAIRequestProblem: Error {
    let message: String
    let code: String?
    let param: String?

    /// The 400 response OpenAI sends for this problem.
    var response: Response {
        OpenAIWire.error(400, message, type: "invalid_request_error", code: code, param: param)
    }

    static func unknownParameter(_ name: String) -> Self {
        Self(message: "Unknown parameter: '\(name)'.", code: "unknown_parameter", param: name)
    }

    static func missing(_ name: String) -> Self {
        Self(message: "Missing required parameter: '\(name)'.", code: "missing_required_parameter", param: name)
    }

    static func invalidValue(_ value: Any, supported: [String], param: String) -> Self {
        Self(
            message: "Invalid value: '\(value)'. Supported values are: \(quotedList(supported)).",
            code: "invalid_value", param: param)
    }

    static func invalidType(_ param: String, expected: String, got value: Any) -> Self {
        Self(
            message: "Invalid type for '\(param)': expected \(expected), but got \(JSONKind.describe(value)) instead.",
            code: "invalid_type", param: param)
    }

    /// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`: how OpenAI lists supported values.
    static func quotedList(_ values: [String]) -> String {
        let quoted = values.map { "'\($0)'" }
        guard quoted.count > 2 else { return quoted.joined(separator: " and ") }
        return quoted.dropLast().joined(separator: ", ") + ", and " + quoted[quoted.count - 1]
    }
}

/// The JSON type of a value parsed by `JSONSerialization`, which hands back booleans and numbers
/// as the same `NSNumber`: requests are checked by JSON type, as OpenAI's schema validation does.
enum JSONKind {
    private static let booleanType = type(of: NSNumber(value: true))

    /// The value, unless it is absent or JSON `null` (OpenAI treats both as "not given").
    static func present(_ value: Any?) -> Any? {
        guard let value, !(value is NSNull) else { return nil }
        return value
    }

    static func isBoolean(_ value: Any) -> Bool { type(of: value) == booleanType }

    static func isNumber(_ value: Any) -> Bool { value is NSNumber && !isBoolean(value) }

    static func integer(_ value: Any) -> Int? { isNumber(value) ? value as? Int : nil }

    /// "a string", "an integer", …: the words OpenAI's `invalid_type` messages use.
    static func describe(_ value: Any) -> String {
        switch value {
        case is String: "a string"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        case is NSNull: "null"
        case _ where isBoolean(value): "a boolean"
        case _ where integer(value) != nil: "an integer"
        default: "a decimal"
        }
    }
}
