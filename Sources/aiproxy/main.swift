import AIProxy
import EdgeRuntime
import FoundationEssentials
import Glibc

// aiproxy [serve flags]            serve the proxy (see --help)
// aiproxy keys|endpoints …         manage proxy keys and endpoints in the CONTROL namespace

let arguments = Array(CommandLine.arguments.dropFirst())
let environment = ProcessInfo.processInfo.environment

do {
    if let first = arguments.first, AdminCommand.names.contains(first) {
        let command = try AdminCommand(arguments: arguments)
        guard
            case .run(let config) = try LaunchCommand.resolve(
                arguments: command.launchArguments, environment: environment)
        else {
            print(AdminCommand.usage)
            exit(0)
        }
        // One loop for the Redis client, if the config names one.
        let group = EventLoopGroup(threadCount: 1, name: "admin-loop")
        let env = try KVFactory.env(config, group: group, fetcher: NoUpstream(), environment: environment)
        try await command.run(env: env)
        exit(0)
    }
    switch try LaunchCommand.resolve(arguments: arguments, environment: environment) {
    case .help(let usage):
        print(usage)
        print(AdminCommand.usage)
    case .run(let config):
        var logger = Logger(label: "aiproxy")
        switch config.vars["LOG_FORMAT"] {
        case nil, "text": break
        case "json": logger.format = .json
        case let other?:
            throw ConfigError(
                code: .invalidValue, message: "\"\(other)\" is not a log format (text or json)", key: "LOG_FORMAT")
        }
        let group = EventLoopGroup(threadCount: config.server.threads)
        // Upstream timeout and CA bundle from the vars, as an EmbeddedProxy reads them.
        let fetchConfiguration = FetchConfiguration(proxyVars: config.vars)
        let env = try KVFactory.env(
            config, group: group, fetcher: CurlFetchClient(group: group, configuration: fetchConfiguration),
            environment: environment,
            logger: logger)
        // Metrics are kept when there is an admin listener to scrape them from.
        let registry = config.admin == nil ? nil : MetricsRegistry()
        let worker = try ProxyWorker(env: env, logger: logger, metrics: registry.map { ProxyMetrics(registry: $0) })
        // The admin API on its own port; with [admin] and no AIPROXY_ADMIN_TOKEN, no start.
        let listeners: [Runtime.Listener] =
            try config.admin.map { admin in
                let adminWorker = try AdminWorker(env: env, logger: logger, metrics: registry)
                return [Runtime.Listener(host: admin.host, port: admin.port, worker: adminWorker)]
            } ?? []
        let runtime = Runtime(
            worker: worker, env: env, group: group, configuration: config.server, logger: logger, listeners: listeners)
        if let registry { runtime.registerMetrics(registry) }
        try await runtime.run()
        await worker.flush()
        group.shutdown()
    }
} catch {
    var message = "aiproxy: \(error)\n"
    message.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    exit(1)
}

/// Admin commands never call upstream.
struct NoUpstream: FetchClient {
    func fetch(_ request: Request) async throws -> Response {
        throw FetchError(code: .invalidRequest, message: "no upstream in admin commands")
    }
}
