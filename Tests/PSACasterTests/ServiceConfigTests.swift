import XCTest
@testable import PSACaster

final class ServiceConfigTests: XCTestCase {
    func parse(_ json: String) throws -> ServiceConfig { try ServiceConfig.parse(Data(json.utf8), source: "config t.json") }
    func error(_ json: String) -> String {
        do { _ = try parse(json); return "" } catch { return "\(error)" }
    }

    func testEmptyObjectGivesDiscreetDefaults() throws {
        let c = try parse("{}")
        XCTAssertEqual(c.visibleName, "Info Point")
        XCTAssertEqual(c.transfersPerAdapter, 4)
        XCTAssertEqual(c.rules.maxRetries, 2)
        XCTAssertEqual(c.rules.campaignWindowSeconds, 86400)
        XCTAssertEqual(c.rules.keyRotationSeconds, 86400)
        XCTAssertNil(c.rules.declinedForgetSeconds)
        XCTAssertEqual(c.campaign, .catalogDefault)
    }

    func testFullExampleFromTheDocs() throws {
        let c = try parse("""
        {"catalog": "/srv/Audio", "campaign": "market-day", "adapters": ["hci0", "hci1"],
         "visibleName": "Community Info", "transfersPerAdapter": 7, "scanSeconds": 5, "scanPauseSeconds": 0,
         "connectTimeoutSeconds": 10, "answerTimeoutSeconds": 70, "packetTimeoutSeconds": 15,
         "campaignWindowHours": 12, "declinedForgetHours": null, "maxRetries": 1, "retryBackoffSeconds": 30,
         "keyRotationHours": 6, "stateDirectory": "/var/lib/psacaster", "statsFlushSeconds": 60, "logLevel": "warning"}
        """)
        XCTAssertEqual(c.campaign, .named("market-day"))
        XCTAssertEqual(c.adapters, ["hci0", "hci1"])
        XCTAssertEqual(c.transfersPerAdapter, 7)
        XCTAssertEqual(c.rules.campaignWindowSeconds, 12 * 3600)
        XCTAssertEqual(c.rules.keyRotationSeconds, 6 * 3600)
        XCTAssertEqual(c.logLevel, .warning)
        XCTAssertEqual(c.answerTimeoutSeconds, 70)
    }

    func testInlineCampaigns() throws {
        XCTAssertEqual(try parse(#"{"campaign": {"languages": ["my", "km"]}}"#).campaign,
                       .inline(Campaign(name: "config", announcements: nil, languages: ["my", "km"])))
        XCTAssertEqual(try parse(#"{"campaign": {"announcements": ["x"]}}"#).campaign,
                       .inline(Campaign(name: "config", announcements: ["x"], languages: nil)))
        XCTAssertTrue(error(#"{"campaign": {"languages": []}}"#).contains("'campaign' must be"))
        XCTAssertTrue(error(#"{"campaign": {"languages": ["en"], "announcements": ["x"]}}"#).contains("'campaign' must be"))
    }

    func testMistakesAreOneClearLine() {
        let cases: [(String, String)] = [
            (#"{"transfersPerAdaptor": 4}"#, "unknown setting 'transfersPerAdaptor'. Did you mean 'transfersPerAdapter'?"),
            (#"{"transfersPerAdapter": 9}"#, "'transfersPerAdapter' must be a number from 1 to 7 (got 9)"),
            (#"{"transfersPerAdapter": 2.5}"#, "'transfersPerAdapter' must be a whole number from 1 to 7 (got 2.5)"),
            (#"{"transfersPerAdapter": true}"#, "(got true)"),
            (#"{"scanSeconds": "5"}"#, "'scanSeconds' must be a number from 1 to 60 (got \"5\")"),
            (#"{"adapters": ["usb0"]}"#, "'adapters' must be a list of adapter names"),
            (#"{"logLevel": "loud"}"#, "'logLevel' must be one of debug, info, warning, error"),
            (#"{"visibleName": ""}"#, "'visibleName' must be a non-empty string"),
            (#"[1]"#, "must be a JSON object"),
            (#"{"scanSeconds": 5"#, "is not valid JSON"),
        ]
        for (json, expected) in cases {
            let e = error(json)
            XCTAssertTrue(e.hasPrefix("config t.json: "), e)
            XCTAssertTrue(e.contains(expected), "\(json) → \(e)")
            XCTAssertFalse(e.contains("\n"), "one line")
        }
    }

    func testRelativePathsAreRelativeToTheConfigFile() throws {
        let dir = ServiceFixtures.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/psacaster.json"
        try Data(#"{"catalog": "Audio", "stateDirectory": "state"}"#.utf8).write(to: URL(fileURLWithPath: path))
        let c = try ServiceConfig.load(path: path)
        XCTAssertEqual(c.catalogDirectory, dir + "/Audio")
        XCTAssertEqual(c.statsPath, dir + "/state/stats.json")
        XCTAssertTrue("\(String(describing: try? ServiceConfig.load(path: dir + "/none.json")))" == "nil")
    }
}
