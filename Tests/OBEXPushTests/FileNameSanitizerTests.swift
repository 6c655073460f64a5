import XCTest
@testable import OBEXPush

final class FileNameSanitizerTests: XCTestCase {
    func testKeepsOrdinaryAndNonASCIINames() {
        XCTAssertEqual(FileNameSanitizer.sanitize("helpline-en.opus"), "helpline-en.opus")
        XCTAssertEqual(FileNameSanitizer.sanitize("ñandú привет 求助.opus"), "ñandú привет 求助.opus")
    }

    func testOnlyTheLastPathPartSurvives() {
        XCTAssertEqual(FileNameSanitizer.sanitize("../../etc/passwd"), "passwd")
        XCTAssertEqual(FileNameSanitizer.sanitize("C:\\Users\\x\\a.opus"), "a.opus")
        XCTAssertEqual(FileNameSanitizer.sanitize("dir/"), "dir")
    }

    func testDotsAndEmptyNamesFallBack() {
        XCTAssertEqual(FileNameSanitizer.sanitize(".."), "received")
        XCTAssertEqual(FileNameSanitizer.sanitize("", fallbackExtension: "opus"), "received.opus")
        XCTAssertEqual(FileNameSanitizer.sanitize("/"), "received")
        XCTAssertEqual(FileNameSanitizer.sanitize(".bashrc"), "bashrc")
        XCTAssertEqual(FileNameSanitizer.sanitize("a.opus. . "), "a.opus")
    }

    func testControlAndInvisibleCharactersAreRemoved() {
        XCTAssertEqual(FileNameSanitizer.sanitize("a\u{0}b\u{1B}[31mc\n.opus"), "ab[31mc.opus")
        // A right-to-left override would show "evil\u{202E}supo.exe" as "evilexe.opus".
        XCTAssertEqual(FileNameSanitizer.sanitize("evil\u{202E}supo.exe"), "evilsupo.exe")
        XCTAssertEqual(FileNameSanitizer.sanitize("a\u{200B}b"), "ab")
    }

    func testReservedCharactersAreReplaced() {
        XCTAssertEqual(FileNameSanitizer.sanitize("a:b*c?\"<>|.opus"), "a_b_c_____.opus")
    }

    func testLengthIsBoundedKeepingTheExtension() {
        let long = String(repeating: "я", count: 300) + ".opus"
        let s = FileNameSanitizer.sanitize(long)
        XCTAssertLessThanOrEqual(s.utf8.count, FileNameSanitizer.maximumBytes)
        XCTAssertTrue(s.hasSuffix("я.opus"))
    }

    func testASCIIFallback() {
        XCTAssertEqual(FileNameSanitizer.asciiFallback("ñandú.opus"), "_and_.opus")
        XCTAssertEqual(FileNameSanitizer.asciiFallback("求助.opus"), "received.opus")
        XCTAssertEqual(FileNameSanitizer.asciiFallback("plain.opus"), "plain.opus")
    }
}
