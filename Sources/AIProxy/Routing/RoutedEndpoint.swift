/// An endpoint chosen to serve a call, with the adapter that speaks its API: looked up once, when
/// the endpoint is chosen, and carried through failover and the relay.
public struct RoutedEndpoint: Sendable {
    public let endpoint: Endpoint
    public let adapter: any ProviderAdapter

    public init(endpoint: Endpoint, adapter: any ProviderAdapter) {
        self.endpoint = endpoint
        self.adapter = adapter
    }

    /// The endpoint's name.
    public var name: String { endpoint.name }
}
