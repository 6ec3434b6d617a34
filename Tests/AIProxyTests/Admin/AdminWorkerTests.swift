import AIProxy
import EdgeRuntime
import Foundation
import MockUpstream
import Testing

/// The admin API in-process, beside a proxy worker on the same bindings: every resource, its
/// auth, its errors, and that what it changes is what the proxy enforces.
@Suite struct AdminWorkerTests {
    struct Setup {
        let admin: AdminWorker
        let proxy: ProxyWorker
        let env: Env
        let store: ControlStore
        let background = BackgroundWork()

        func api(_ method: HTTPMethod, _ path: String, _ body: String? = nil, token: String? = "admin-token")
            async throws -> (Int, JSONValue)
        {
            var headers: Headers = [:]
            if let token { headers["authorization"] = "Bearer \(token)" }
            let request = Request(
                method: method, url: "http://admin\(path)", headers: headers,
                body: body.map { Body(string: $0) } ?? .empty)
            let response = try await admin.fetch(
                request, env: env, ctx: ExecutionContext(requestID: "a", tracker: background))
            return (response.status, (try? JSONValue(parsing: try await response.body.collect(upTo: 1 << 20))) ?? .null)
        }

        func chat(_ key: String) async throws -> Int {
            let request = Request(
                method: .post, url: "http://proxy/v1/chat/completions",
                headers: ["authorization": "Bearer \(key)", "x-bt-use-creds-cache": "never"],
                body: Body(string: #"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#))
            let response = try await proxy.fetch(
                request, env: env, ctx: ExecutionContext(requestID: UUID().uuidString, tracker: background))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status
        }
    }

    static func setUp() async throws -> Setup {
        let control = MemoryKV()
        let mock = MockOpenAIWorker()
        let env = Env(
            bindings: [
                "CONTROL": .kv(control), "AIPROXY_MASTER_KEY": .secret("admin-test-master"),
                "AIPROXY_ADMIN_TOKEN": .secret("admin-token"),
            ],
            fetcher: InProcessFetchClient(routes: ["mock": mock]))
        let store = try ControlStore(kv: control, masterKey: "admin-test-master")
        try await store.addEndpoint(
            Endpoint(name: "main", kind: .openai, baseURL: "http://mock/v1", secret: "sk-up"), org: "acme")
        return Setup(
            admin: try AdminWorker(env: env, logger: Logger(label: "t", level: .error), metrics: MetricsRegistry()),
            proxy: try ProxyWorker(env: env, logger: Logger(label: "t", level: .error)), env: env, store: store)
    }

    @Test func withoutTheTokenTheAdminListenerWontStartAndNamesIt() throws {
        let env = Env(bindings: ["CONTROL": .kv(MemoryKV())], fetcher: InProcessFetchClient(routes: [:]))
        #expect {
            try AdminWorker(env: env)
        } throws: { error in
            (error as? ConfigError)?.key == "AIPROXY_ADMIN_TOKEN"
        }
    }

    @Test func everyCallNeedsTheTokenComparedExactly() async throws {
        let setup = try await Self.setUp()
        for token in [nil, "", "admin-toke", "admin-tokenx", "ADMIN-TOKEN"] as [String?] {
            let (status, body) = try await setup.api(.get, "/api/keys", token: token)
            #expect(status == 401, "token \(token ?? "none")")
            #expect(body["error"]?["code"] == "invalid_admin_token")
        }
        #expect(try await setup.api(.get, "/api/keys").0 == 200)
    }

    @Test func keysAreCreatedReadChangedBlockedRotatedAndRevoked() async throws {
        let setup = try await Self.setUp()
        let (created, record) = try await setup.api(
            .post, "/api/keys", #"{"orgs":["acme"],"name":"ci","rpm_limit":5,"tags":["ci"]}"#)
        #expect(created == 201)
        let key = try #require(record["key"]?.stringValue)
        let id = try #require(record["key_id"]?.stringValue)
        #expect(record["rpm_limit"] == 5 && record["spend"] != nil)
        #expect(try await setup.chat(key) == 200)

        #expect(try await setup.api(.get, "/api/keys/\(id)").1["name"] == "ci")
        #expect(try await setup.api(.get, "/api/keys/\(id)").1["key"] == nil, "the secret is shown once")
        let listed = try await setup.api(.get, "/api/keys?tag=ci").1
        #expect(listed["data"]?.arrayValue?.map { $0["key_id"] } == [.string(id)])
        #expect(try await setup.api(.get, "/api/keys?org=other").1["data"]?.arrayValue?.isEmpty == true)

        let (patched, changed) = try await setup.api(.patch, "/api/keys/\(id)", #"{"rpm_limit":null,"max_budget":2.5}"#)
        #expect(patched == 200 && changed["rpm_limit"] == .null && changed["max_budget"] == .number("2.5"))
        // The CLI's record and the API's are the same JSON.
        let stored = try #require(try await setup.store.key(id: id))
        #expect(stored.limits.maxBudget == 2_500_000)

        #expect(try await setup.api(.post, "/api/keys/\(id)/block").1["blocked"] == true)
        #expect(try await setup.chat(key) == 401)
        #expect(try await setup.api(.post, "/api/keys/\(id)/unblock").1["blocked"] == false)

        let rotated = try await setup.api(.post, "/api/keys/\(id)/rotate").1
        let newKey = try #require(rotated["key"]?.stringValue)
        #expect(rotated["key_id"] == .string(id))
        #expect(try await setup.chat(key) == 401, "the old secret stops working")
        #expect(try await setup.chat(newKey) == 200)

        #expect(try await setup.api(.delete, "/api/keys/\(id)").1["revoked"] == true)
        #expect(try await setup.chat(newKey) == 401)
        #expect(try await setup.api(.get, "/api/keys/\(id)").0 == 404)
    }

    @Test(
        arguments: [
            (HTTPMethod.post, "/api/keys", #"{"orgs":["acme"],"rpm_limit":0}"#, 400),
            (.post, "/api/keys", #"{"name":"no org"}"#, 400),
            (.post, "/api/keys", "not json", 400),
            (.post, "/api/keys", #"{"orgs":["acme"],"spend_limit":1}"#, 400),
            (.patch, "/api/keys/nope", #"{"name":"x"}"#, 404),
            (.put, "/api/keys", "{}", 405),
            (.get, "/api/keys/x/rotate", nil, 405),
            (.get, "/api/nothing", nil, 404),
            (.get, "/v1/models", nil, 404),
            (.get, "/api/keys?limit=0", nil, 400),
        ] as [(HTTPMethod, String, String?, Int)])
    func badCallsGetJSONErrors(method: HTTPMethod, path: String, body: String?, status: Int) async throws {
        let setup = try await Self.setUp()
        let (got, error) = try await setup.api(method, path, body)
        #expect(got == status)
        #expect(error["error"]?["message"]?.stringValue?.isEmpty == false)
    }

    @Test func endpointsAreManagedPerOrgAndTheirSecretsNeverReturned() async throws {
        let setup = try await Self.setUp()
        let body =
            #"{"name":"backup","type":"openai","base_url":"http://mock/v1","secret":"sk-write-only","models":["gpt-4o"]}"#
        let (status, created) = try await setup.api(.post, "/api/orgs/acme/endpoints", body)
        #expect(status == 201 && created["name"] == "backup")
        let listed = try await setup.api(.get, "/api/orgs/acme/endpoints")
        #expect(listed.1["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.sorted() == ["backup", "main"])
        #expect(
            !listed.1.serializedString.contains("sk-write-only") && !created.serializedString.contains("sk-write-only"))
        #expect(try await setup.api(.get, "/api/orgs/acme/endpoints/backup").1["models"] == ["gpt-4o"])
        let custom =
            #"{"name":"local","type":"openai","base_url":"http://mock/v1","secret":"s","custom_models":[{"id":"my-llama","format":"openai","flavor":"chat"}]}"#
        #expect(try await setup.api(.post, "/api/orgs/acme/endpoints", custom).0 == 201)
        #expect(
            try await setup.api(.get, "/api/orgs/acme/endpoints/local").1["custom_models"]?.arrayValue?.first?["id"]
                == "my-llama")
        let key = try #require(try await setup.api(.post, "/api/keys", #"{"orgs":["acme"]}"#).1["key"]?.stringValue)
        let request = Request(
            method: .post, url: "http://proxy/v1/chat/completions",
            headers: ["authorization": "Bearer \(key)", "x-bt-endpoint-name": "local"],
            body: Body(string: #"{"model":"my-llama","messages":[{"role":"user","content":"hi"}]}"#))
        let served = try await setup.proxy.fetch(
            request, env: setup.env, ctx: ExecutionContext(requestID: "c", tracker: setup.background))
        #expect(served.status == 200, "the custom model is routed")
        let bad = #"{"name":"x","type":"openai","base_url":"http://mock/v1","secret":"s","custom_models":[{"id":"m"}]}"#
        #expect(try await setup.api(.post, "/api/orgs/acme/endpoints", bad).0 == 400)
        #expect(try await setup.api(.delete, "/api/orgs/acme/endpoints/backup").0 == 200)
        #expect(try await setup.api(.get, "/api/orgs/acme/endpoints/backup").0 == 404)
        #expect(try await setup.api(.post, "/api/orgs/acme/endpoints", #"{"name":"x"}"#).0 == 400)
    }

    @Test func orgLimitsAndUsageAreThere() async throws {
        let setup = try await Self.setUp()
        let (status, org) = try await setup.api(.patch, "/api/orgs/acme", #"{"rpm_limit":100}"#)
        #expect(status == 200 && org["rpm_limit"] == 100 && org["org"] == "acme")
        #expect(try await setup.api(.get, "/api/orgs/acme").1["rpm_limit"] == 100)
        let key = try #require(try await setup.api(.post, "/api/keys", #"{"orgs":["acme"]}"#).1["key"]?.stringValue)
        #expect(try await setup.chat(key) == 200)
        #expect(try await setup.chat(key) == 200)
        await setup.background.idle()
        let rows = try await setup.api(.get, "/api/usage?org=acme").1["data"]?.arrayValue ?? []
        #expect(rows.compactMap { $0["requests"]?.intValue }.reduce(0, +) == 2)
        #expect(rows.first?["model"] == "gpt-4o")
        let byModel = try await setup.api(.get, "/api/usage?group_by=model").1["data"]?.arrayValue ?? []
        #expect(byModel.count == 1 && byModel.first?["requests"] == 2 && byModel.first?["key_id"] == "*")
        #expect(try await setup.api(.get, "/api/usage?group_by=org").0 == 400)
    }

    @Test func anOrgsSharedCacheIsSwitchedAndShownButNeverItsSecret() async throws {
        let setup = try await Self.setUp()
        #expect(try await setup.api(.get, "/api/orgs/acme").1["shared_cache"] == false)
        let (status, org) = try await setup.api(.patch, "/api/orgs/acme", #"{"shared_cache":true,"rpm_limit":9}"#)
        #expect(status == 200 && org["shared_cache"] == true && org["rpm_limit"] == 9)
        #expect(org["cache_secret_sealed"] == nil)
        #expect(try await setup.api(.get, "/api/orgs/acme").1["shared_cache"] == true)
        #expect(try await setup.api(.patch, "/api/orgs/acme", #"{"shared_cache":"on"}"#).0 == 400)
        let off = try await setup.api(.patch, "/api/orgs/acme", #"{"shared_cache":false}"#).1
        #expect(off["shared_cache"] == false && off["rpm_limit"] == 9)
    }

    @Test func recentEventsAreNewestFirstAndFiltered() async throws {
        let setup = try await Self.setUp()
        let key = try #require(
            try await setup.api(.post, "/api/keys", #"{"orgs":["acme"],"models":["gpt-4o"]}"#).1["key"]?.stringValue)
        #expect(try await setup.chat(key) == 200)
        #expect(try await setup.chat(key) == 200)
        let refused = Request(
            method: .post, url: "http://proxy/v1/chat/completions", headers: ["authorization": "Bearer \(key)"],
            body: Body(string: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#))
        let response = try await setup.proxy.fetch(
            refused, env: setup.env, ctx: ExecutionContext(requestID: "r", tracker: setup.background))
        #expect(response.status == 403)
        await setup.background.idle()
        let all = try await setup.api(.get, "/api/events").1["data"]?.arrayValue ?? []
        #expect(all.map { $0["status"]?.intValue } == [403, 200, 200], "newest first")
        #expect(all.allSatisfy { $0["key_id"] != nil && $0["request_id"] != nil })
        let ok = try await setup.api(.get, "/api/events?status=200&limit=1")
        #expect(ok.1["data"]?.arrayValue?.count == 1 && ok.1["has_more"] == true)
        #expect(try await setup.api(.get, "/api/events?model=gpt-4o-mini").1["data"]?.arrayValue?.count == 1)
        #expect(try await setup.api(.get, "/api/events?status=x").0 == 400)
    }

    /// Every operation the OpenAPI document lists is served (no 405, no unknown route), and
    /// every route the worker serves is documented (the methods it answers 405 to are not).
    @Test func theOpenAPIDocumentDescribesWhatIsServed() async throws {
        let setup = try await Self.setUp()
        let key = try #require(try await setup.api(.post, "/api/keys", #"{"orgs":["acme"]}"#).1["key_id"]?.stringValue)
        let (status, document) = try await setup.api(.get, "/api/openapi.json")
        #expect(status == 200)
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"]?.objectValue)
        var documented: Set<String> = []
        for (path, item) in paths {
            for (method, _) in item.objectValue ?? [] where method != "parameters" {
                documented.insert("\(method.uppercased()) \(path)")
                let concrete = path.replacingOccurrences(of: "{key_id}", with: key).replacingOccurrences(
                    of: "{org}", with: "acme"
                )
                .replacingOccurrences(of: "{name}", with: "main")
                let body: String? = ["POST", "PATCH"].contains(method.uppercased()) ? "{}" : nil
                let (got, answer) = try await setup.api(HTTPMethod(rawValue: method.uppercased()), concrete, body)
                #expect(got != 405 && answer["error"]?["code"] != "not_found", "\(method) \(concrete): \(got)")
            }
        }
        let served: Set<String> = [
            "GET /api/keys", "POST /api/keys", "GET /api/keys/{key_id}", "PATCH /api/keys/{key_id}",
            "DELETE /api/keys/{key_id}",
            "POST /api/keys/{key_id}/rotate", "POST /api/keys/{key_id}/block", "POST /api/keys/{key_id}/unblock",
            "GET /api/orgs/{org}", "PATCH /api/orgs/{org}", "GET /api/orgs/{org}/endpoints",
            "POST /api/orgs/{org}/endpoints",
            "GET /api/orgs/{org}/endpoints/{name}", "DELETE /api/orgs/{org}/endpoints/{name}", "GET /api/usage",
            "GET /api/events",
            "GET /api/openapi.json", "GET /metrics",
        ]
        #expect(documented == served)
    }

    /// The page loads without the token (it asks for it), carries the controls' accessible
    /// names, and loads nothing from elsewhere.
    @Test func thePageIsServedWithoutTheTokenAndIsSelfContained() async throws {
        let setup = try await Self.setUp()
        let request = Request(method: .get, url: "http://admin/")
        let response = try await setup.admin.fetch(
            request, env: setup.env, ctx: ExecutionContext(requestID: "p", tracker: setup.background))
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/html") == true)
        let page = try await response.body.text(upTo: 1 << 20)
        for name in [
            #"aria-label="Admin token""#, ">Sign in<", ">Create key<", #""Block""#, ">Keys<", ">Recent requests<",
        ] {
            #expect(page.contains(name), "\(name)")
        }
        #expect(!page.contains("src=") && !page.contains("href="), "no script, style or font from elsewhere")
    }
}
