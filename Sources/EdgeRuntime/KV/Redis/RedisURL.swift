import FoundationEssentials

/// Where a Redis server is: `redis://[user:password@]host:port/db`.
public struct RedisURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var database: Int
    public var user: String?
    public var password: String?

    /// - Throws: ``KVError`` `.invalidArgument` naming what is wrong (never the password).
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), components.scheme == "redis", let host = components.host,
            !host.isEmpty
        else {
            throw KVError(code: .invalidArgument, message: "expected redis://[user:password@]host:port/db")
        }
        self.host = host
        port = components.port ?? 6379
        let path = String(components.path.drop(while: { $0 == "/" }))
        guard path.isEmpty || Int(path) != nil else {
            throw KVError(code: .invalidArgument, message: "the database must be a number")
        }
        database = Int(path) ?? 0
        // URLComponents percent-decodes `user` and `password` as it reads them.
        user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        password = components.password
    }

    /// Host, port and database; the credentials are never printed.
    public var description: String { "redis://\(host):\(port)/\(database)" }
}
