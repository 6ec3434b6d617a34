/// What `aiproxy` should do: print usage, or run with a resolved configuration.
///
/// ```swift
/// switch try LaunchCommand.resolve(
///     arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment) {
/// case .help(let usage): print(usage)
/// case .run(let config): try await Runtime(config: config, worker: ProxyWorker()).run()
/// }
/// ```
public enum LaunchCommand: Sendable {
    /// `--help` was given: print this text and exit successfully.
    case help(usage: String)
    /// Start the server with this configuration.
    case run(ResolvedConfig)

    /// Parses `arguments` (without the program name), then loads the configuration unless `--help` was given.
    /// - Throws: ``ConfigError`` naming the flag, variable, or file, line and key at fault.
    public static func resolve(
        arguments: [String], environment: [String: String],
        readFile: (String) throws(ConfigError) -> String? = ResolvedConfig.readFileFromDisk
    ) throws(ConfigError) -> LaunchCommand {
        let options = try LaunchOptions(arguments: arguments)
        if options.showHelp { return .help(usage: LaunchOptions.usage) }
        return .run(try ResolvedConfig.load(options: options, environment: environment, readFile: readFile))
    }
}
