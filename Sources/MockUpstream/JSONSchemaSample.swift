import Foundation

/// A value that conforms to a simple JSON Schema, for every mock told to answer in JSON
/// (OpenAI's `text.format`, the proxy's JSON instruction to Claude, Gemini's responseSchema): objects get each required property (string "mock", number 1, boolean true, array [],
/// object filled the same way), enums their first value. Enough for tests to parse the reply.
enum JSONSchemaSample {
    static func value(for schema: [String: Any]) -> Any {
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        if let constant = schema["const"] { return constant }
        if let choices = (schema["anyOf"] ?? schema["oneOf"]) as? [[String: Any]], let first = choices.first {
            return value(for: first)
        }
        switch type(of: schema) {
        case "string": return "mock"
        case "number", "integer": return 1
        case "boolean": return true
        case "array": return [Any]()
        case "null": return NSNull()
        case "object":
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let required = schema["required"] as? [String] ?? []
            var object: [String: Any] = [:]
            for name in required { object[name] = value(for: properties[name] as? [String: Any] ?? [:]) }
            return object
        default: return "mock"
        }
    }

    /// The schema's type: the first non-null of a type list; "object" when only `properties` say so.
    static func type(of schema: [String: Any]) -> String {
        if let type = schema["type"] as? String { return type }
        if let types = schema["type"] as? [String], let type = types.first(where: { $0 != "null" }) { return type }
        return schema["properties"] != nil ? "object" : ""
    }
}
