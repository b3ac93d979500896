import ArgumentParser
import CrumbsProxy
import NIOCore
import Testing

@testable import crumbs

/// Flags, the config file and defaults merge into one ProxyConfiguration; flags win.
struct RunOptionsTests {
    private func configuration(_ arguments: [String], config text: String = "") throws -> ProxyConfiguration {
        let options = try RunOptions.parse(arguments)
        return try options.proxyConfiguration(config: try ConfigFile(text: text))
    }

    @Test func defaultsAreLoopbackOnly() throws {
        let result = try configuration([])
        #expect(result.listenHost == "127.0.0.1" && result.listenPort == 8080)
        #expect(result.allowedClients == CIDR.loopback)
        #expect(result.connectPorts == [80, 443])
        #expect(result.upstreamProxy == nil && !result.keepQuery)
        #expect(result.upstreamTimeout == .seconds(30))
    }

    @Test func configKeysMirrorTheFlags() throws {
        let result = try configuration(
            [],
            config: """
                listen = "127.0.0.5:9000"
                allow = ["192.168.1.0/24", "127.0.0.1"]
                connect-port = [8443]
                http-port = [21]
                upstream = "http://parent.example:3128"
                upstream-timeout = 5
                idle-timeout = 7
                max-connections = 10
                max-connections-per-client = 4
                keep-query = true
                """
        )
        #expect(result.listenHost == "127.0.0.5" && result.listenPort == 9000)
        #expect(result.allowedClients.map(\.description) == ["192.168.1.0/24", "127.0.0.1/32"])
        #expect(result.connectPorts == [80, 443, 8443])
        #expect(result.extraHTTPPorts == [21])
        #expect(result.upstreamProxy == UpstreamProxy(host: "parent.example", port: 3128))
        #expect(result.upstreamTimeout == .seconds(5) && result.idleTimeout == .seconds(7))
        #expect(result.maxConnections == 10 && result.keepQuery)
        #expect(result.maxConnectionsPerClient == 4)
    }

    @Test func flagsWinOverTheConfigFile() throws {
        let result = try configuration(
            ["--listen", "127.0.0.1:7000", "--allow", "10.0.0.0/8", "--upstream-timeout", "2"],
            config: "listen = \"127.0.0.5:9000\"\nallow = \"192.168.1.0/24\"\nupstream-timeout = 5\n"
        )
        #expect(result.listenPort == 7000)
        #expect(result.allowedClients.map(\.description) == ["10.0.0.0/8"])
        #expect(result.upstreamTimeout == .seconds(2))
    }

    @Test(arguments: [
        ("listen = 8080", "listen must be a string"),
        ("keep-query = \"yes\"", "keep-query must be true or false"),
        ("lisen = \"127.0.0.1:1\"", "unknown key(s) lisen"),
        ("listen = ", "line 1"),
    ])
    func badConfigFilesGiveOneClearError(text: String, message: String) {
        #expect {
            try configuration([], config: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test(arguments: [
        (["--listen", "localhost:8080"], "the host must be an IP address"),
        (["--listen", "127.0.0.1"], "must be host:port"),
        (["--allow", "everyone"], "is not an address or CIDR"),
        (["--upstream", "http://x:notaport"], "is not http://host:port"),
        (["--connect-port", "70000"], "is not a port number"),
        (["--upstream-timeout", "0"], "must be greater than 0"),
    ])
    func badFlagsGiveOneClearError(arguments: [String], message: String) {
        #expect {
            try configuration(arguments)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func dataDirectoryFollowsXDG() {
        #expect(DataPaths.dataDirectory(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/h"]) == "/x/data/crumbs")
        #expect(DataPaths.dataDirectory(environment: ["HOME": "/h"]) == "/h/.local/share/crumbs")
        #expect(
            DataPaths.dataDirectory(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"])
                == "/h/.local/share/crumbs")
        #expect(DataPaths.configFile(environment: ["XDG_CONFIG_HOME": "/c", "HOME": "/h"]) == "/c/crumbs/config.toml")
    }
}
