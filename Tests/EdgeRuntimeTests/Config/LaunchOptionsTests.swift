import EdgeRuntime
import Testing

@Suite struct LaunchOptionsTests {
    @Test func parsesEveryFlagInBothForms() throws {
        let options = try LaunchOptions(arguments: [
            "--config", "conf/w.toml", "--port=9000", "--ip", "0.0.0.0", "--var", "A=1", "--var=B=x=y",
            "--dev-vars", "secrets.env", "--var", "A=2",
        ])
        #expect(options.configPath == "conf/w.toml")
        #expect(options.port == 9000)
        #expect(options.ip == "0.0.0.0")
        #expect(options.vars == ["A": "2", "B": "x=y"])
        #expect(options.devVarsPath == "secrets.env")
        #expect(!options.showHelp)
        #expect(try LaunchOptions(arguments: []) == LaunchOptions())
    }

    @Test func help() throws {
        #expect(try LaunchOptions(arguments: ["--help"]).showHelp)
        #expect(try LaunchOptions(arguments: ["-h"]).showHelp)
        for flag in ["--config", "--port", "--ip", "--var", "--dev-vars", "--help", "AIPROXY_PORT"] {
            #expect(LaunchOptions.usage.contains(flag))
        }
    }

    @Test(arguments: [
        (["--prot", "1"], "--prot", ConfigError.Code.usage),
        (["serve"], "serve", .usage),
        (["--port"], "--port", .usage),
        (["--port", "65536"], "--port", .invalidValue),
        (["--port=-1"], "--port", .invalidValue),
        (["--port", "http"], "--port", .invalidValue),
        (["--var", "NOEQUALS"], "--var", .usage),
        (["--var", "=x"], "--var", .usage),
    ])
    func badArgumentsNameTheFlag(arguments: [String], key: String, code: ConfigError.Code) {
        #expect {
            try LaunchOptions(arguments: arguments)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.key == key && error.code == code && error.description.hasPrefix("\(key): ")
        }
    }
}
