import XCTest
@testable import PSACaster

final class CommandLineTests: XCTestCase {
    let spec = CommandSpec(name: "demo", summary: "s", usage: "u",
                           positionals: [PositionalSpec(name: "INPUT", help: "in")],
                           options: [.value("output", short: "o", "FILE", help: "out"),
                                     .flag("json", help: "json"),
                                     .repeated("allow", "ADDR", help: "allow")])

    func testParsesOptionsFlagsAndPositionals() throws {
        let p = try ParsedArguments(spec: spec, arguments: ["in.wav", "-o", "x.opus", "--json", "--allow=a", "--allow", "b"])
        XCTAssertEqual(p.positional(0), "in.wav")
        XCTAssertEqual(p.value("output"), "x.opus")
        XCTAssertTrue(p.flag("json"))
        XCTAssertEqual(p.values("allow"), ["a", "b"])
    }

    func testUnknownOptionSuggestsTheClosest() {
        XCTAssertThrowsError(try ParsedArguments(spec: spec, arguments: ["in", "--outptu", "x"])) { error in
            XCTAssertTrue(String(describing: error).contains("Did you mean '--output'?"), "\(error)")
        }
    }

    func testMissingAndExtraArguments() {
        XCTAssertThrowsError(try ParsedArguments(spec: spec, arguments: []))
        XCTAssertThrowsError(try ParsedArguments(spec: spec, arguments: ["a", "b"]))
        XCTAssertThrowsError(try ParsedArguments(spec: spec, arguments: ["a", "-o"]))
        XCTAssertThrowsError(try ParsedArguments(spec: spec, arguments: ["a", "--json=1"]))
    }

    func testHMACMatchesRFC4231Case2() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        XCTAssertEqual(Digest.hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertEqual(Digest.hex(Digest.sha256(Array("abc".utf8))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
