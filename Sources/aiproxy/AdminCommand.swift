import AIProxy
import EdgeRuntime
import FoundationEssentials

/// `aiproxy keys …` and `aiproxy endpoints …`: manage the CONTROL store without editing KV by hand.
struct AdminCommand {
    static let names: Set<String> = ["keys", "endpoints", "usage", "orgs"]

    static let usage = """
        Admin commands (use the CONTROL namespace of the same config; flags --config/--dev-vars apply):
          aiproxy keys create --org ORG [--org ORG2] [--name LABEL] [key fields]   prints the new key once
          aiproxy keys update KEY_ID [key fields]
          aiproxy keys block|unblock|revoke KEY_ID
          aiproxy keys rotate KEY_ID            prints the key's new secret once; the old one stops working
          aiproxy keys get KEY_ID [--json]
          aiproxy keys list [--json]             with `spend`: USD in the key's current budget window
          aiproxy orgs update --org ORG [limit fields]   limits every call of the org's keys must pass too
          aiproxy orgs update --org ORG --shared-cache on|off   the org's proxy keys share cache hits (on:
                                                 a new secret, sealed; off deletes it, and the entries with it)
          aiproxy orgs get --org ORG             the org's limits, shared_cache and spend, as JSON
          aiproxy usage [--key-id ID] [--org ORG] [--from DAY] [--to DAY] [--json]
                                                 daily usage per key × model (DAY: 2026-12-01; last 30 days)
          aiproxy endpoints add --org ORG --name NAME --type openai [--base-url URL] [--models m1,m2]
                                (--secret-env VAR | --secret-stdin) [--option key=value]
                                [--custom-model ID=FORMAT/FLAVOR]   e.g. my-llama=openai/chat
          aiproxy endpoints list --org ORG
          aiproxy endpoints remove --org ORG --name NAME
        Endpoint secrets are sealed with AIPROXY_MASTER_KEY (environment or .dev.vars).
        \(KeyFlags.usage)
        """

    let group: String
    let action: String
    var options: [String: [String]] = [:]
    var positional: [String] = []
    /// Flags for the shared config loader (`--config`, `--dev-vars`).
    var launchArguments: [String] = []

    init(arguments: [String]) throws {
        guard arguments.count >= 2 || arguments.first == "usage" else {
            throw ConfigError(code: .usage, message: Self.usage)
        }
        group = arguments[0]
        // `usage` has no action: its flags follow it.
        action = group == "usage" ? "" : arguments[1]
        var index = group == "usage" ? 1 : 2
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--secret-stdin" || argument == "--json" {
                options[argument, default: []].append("")
                index += 1
            } else if argument.hasPrefix("--") {
                guard index + 1 < arguments.count else {
                    throw ConfigError(code: .usage, message: "needs a value", key: argument)
                }
                if argument == "--config" || argument == "--dev-vars" {
                    launchArguments += [argument, arguments[index + 1]]
                } else {
                    options[argument, default: []].append(arguments[index + 1])
                }
                index += 2
            } else {
                positional.append(argument)
                index += 1
            }
        }
    }

    private func required(_ name: String) throws -> String {
        guard let value = options[name]?.last, !value.isEmpty else {
            throw ConfigError(code: .usage, message: "is required (see aiproxy --help)", key: name)
        }
        return value
    }

    func run(env: Env) async throws {
        let configuration = try ProxyConfiguration(env: env)
        let store = try ControlStore(kv: try env.kv("CONTROL"), masterKey: configuration.masterKey)
        let report = KeyReport(store: store, limits: try? env.limits("LIMITS"))
        let usage = UsageReport(report: report, keepsRollups: store.kv is any KVCounting)
        switch (group, action) {
        case ("usage", _):
            try await usage.print(options: options)
        case ("orgs", "get"):
            print(try await report.json(try await store.org(try required("--org"))).serializedString)
        case ("orgs", "update"):
            let org = try required("--org")
            var changes = try KeyFlags.changes(options)
            if let other = changes.objectValue?.first(where: { !LimitSettings.fields.contains($0.0) }) {
                throw ConfigError(code: .usage, message: "orgs carry limits and --shared-cache only, not \(other.0)")
            }
            if let shared = options["--shared-cache"]?.last {
                guard shared == "on" || shared == "off" else {
                    throw ConfigError(code: .usage, message: "expected on or off", key: "--shared-cache")
                }
                changes = changes.setting("shared_cache", to: .bool(shared == "on"))
            }
            print(try await report.json(try await store.updateOrg(org, changes: changes)).serializedString)
        case ("keys", "create"):
            let orgs = options["--org"] ?? []
            guard !orgs.isEmpty else { throw ConfigError(code: .usage, message: "is required", key: "--org") }
            let (token, record) = try await store.createKey(
                name: options["--name"]?.last ?? "", orgs: orgs, changes: try KeyFlags.changes(options))
            print("created key \(record.id) for org(s) \(record.orgs.joined(separator: ", ")); it is shown only once:")
            // Standard output, to the operator who asked for it: the one time the key exists in
            // clear outside its holder. It is never logged, and only its hash is stored.
            print(token)
        case ("keys", "list"):
            let records = try await store.listKeys()
            let shown = try await report.json(records)
            if options["--json"] != nil {
                print(JSONValue.array(shown).serializedString)
            } else {
                for (record, json) in zip(records, shown) {
                    let limits = KeyReport.summary(record.limits)
                    let spend = json["spend"]?.serializedString ?? "0.0"
                    print(
                        "\(record.id)\t\(record.orgs.joined(separator: ","))\t\(record.name)\t\(record.blocked ? "blocked" : "active")\tspent $\(spend)\t\(limits)"
                    )
                }
            }
        case ("keys", "get"):
            guard let id = positional.first else { throw ConfigError(code: .usage, message: "keys get needs a key id") }
            guard let record = try await store.key(id: id) else {
                throw ConfigError(code: .missingValue, message: "no key \(id)")
            }
            print(try await report.json(record).serializedString)
        case ("keys", "update"), ("keys", "block"), ("keys", "unblock"):
            guard let id = positional.first else {
                throw ConfigError(code: .usage, message: "keys \(action) needs a key id")
            }
            let changes: JSONValue =
                action == "update" ? try KeyFlags.changes(options) : ["blocked": .bool(action == "block")]
            guard let record = try await store.updateKey(id: id, changes: changes) else {
                throw ConfigError(code: .missingValue, message: "no key \(id)")
            }
            print(try await report.json(record).serializedString)
        case ("keys", "rotate"):
            guard let id = positional.first else {
                throw ConfigError(code: .usage, message: "keys rotate needs a key id")
            }
            guard let (token, record) = try await store.rotateKey(id: id) else {
                throw ConfigError(code: .missingValue, message: "no key \(id)")
            }
            print("rotated key \(record.id); its new secret is shown only once:")
            // As at creation: to the operator's standard output, never to a log.
            print(token)
        case ("keys", "revoke"):
            guard let target = positional.first else {
                throw ConfigError(code: .usage, message: "keys revoke needs a key id")
            }
            print(try await store.revokeKey(target) ? "revoked" : "no such key")
        case ("endpoints", "add"):
            let kind = ProviderKind(rawValue: try required("--type"))
            let defaults = configuration.providerBaseURLs
            guard let baseURL = options["--base-url"]?.last ?? defaults[kind] else {
                throw ConfigError(code: .usage, message: "is required for type \(kind)", key: "--base-url")
            }
            let secret: String
            if let variable = options["--secret-env"]?.last {
                guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
                    throw ConfigError(
                        code: .missingValue, message: "environment variable \(variable) is empty", key: "--secret-env")
                }
                secret = value
            } else if options["--secret-stdin"] != nil {
                secret = (readLine(strippingNewline: true) ?? "").trimmingSpacesAndTabs
            } else {
                throw ConfigError(
                    code: .usage,
                    message: "give the secret with --secret-env VAR or --secret-stdin (never on the command line)",
                    key: "--secret-env")
            }
            let models = options["--models"]?.last.map {
                $0.split(separator: ",").map { $0.trimmingSpacesAndTabs }
            }
            var endpointOptions: [String: String] = [:]
            for pair in options["--option"] ?? [] {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else {
                    throw ConfigError(code: .usage, message: "expected key=value", key: "--option")
                }
                endpointOptions[String(parts[0])] = String(parts[1])
            }
            var customModels: [ModelCatalog.Model] = []
            for spec in options["--custom-model"] ?? [] {
                let parts = spec.split(separator: "=", maxSplits: 1)
                let kinds = parts.count == 2 ? parts[1].split(separator: "/") : []
                guard kinds.count == 2, let flavor = ModelCatalog.Flavor(rawValue: String(kinds[1])) else {
                    throw ConfigError(
                        code: .usage,
                        message: "expected ID=FORMAT/FLAVOR (flavor: chat, completion, embedding, moderation)",
                        key: "--custom-model")
                }
                customModels.append(
                    ModelCatalog.Model(
                        id: String(parts[0]), format: .init(rawValue: String(kinds[0])), flavor: flavor,
                        providers: [kind]))
            }
            let endpoint = Endpoint(
                name: try required("--name"), kind: kind, baseURL: baseURL, secret: secret, models: models,
                customModels: customModels,
                options: endpointOptions)
            try await store.addEndpoint(endpoint, org: try required("--org"))
            print("added endpoint \(endpoint.name) (\(kind), \(baseURL)) to org \(try required("--org"))")
        case ("endpoints", "list"):
            for endpoint in try await store.listEndpoints(org: try required("--org")) {
                let custom = endpoint.customModels.map { "\($0.id)=\($0.format.rawValue)/\($0.flavor.rawValue)" }
                let models = endpoint.models?.joined(separator: ",") ?? "(catalog)"
                print(
                    "\(endpoint.name)\t\(endpoint.kind)\t\(endpoint.baseURL)\t\(models)"
                        + (custom.isEmpty ? "" : "\tcustom: " + custom.joined(separator: ",")))
            }
        case ("endpoints", "remove"):
            print(
                try await store.removeEndpoint(org: try required("--org"), name: try required("--name"))
                    ? "removed" : "no such endpoint")
        default:
            throw ConfigError(code: .usage, message: "unknown command \(group) \(action)\n\(Self.usage)")
        }
    }
}
