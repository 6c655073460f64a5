import Foundation
import XCTest
@testable import OBEXPush

/// Foreign OBEX peers over loopback TCP: PyOBEX (PyPI) as server and as
/// client, and obexftp as client. Files must arrive byte-identical with
/// their names. Skipped (with the fix named) when a peer is not installed.
final class InteropTests: XCTestCase {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static var python: String { ProcessInfo.processInfo.environment["PSACASTER_VENV"].map { $0 + "/bin/python" } ?? repoRoot + "/.venv/bin/python" }
    static let peerScript = repoRoot + "/bench/obex/pyobex_peer.py"

    private func requirePyOBEX() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw XCTSkip("no project venv at \(Self.python): run scripts/setup.sh")
        }
        let check = try run(Self.python, ["-c", "import PyOBEX"], timeout: 20)
        if check.status != 0 { throw XCTSkip("PyOBEX is not installed in the venv: run scripts/setup.sh") }
    }

    private func requireObexftp() throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/obexftp") { return dir + "/obexftp" }
        throw XCTSkip("obexftp not installed: run scripts/setup.sh")
    }

    /// Runs a process to completion (killing it after `timeout`).
    @discardableResult
    private func run(_ path: String, _ args: [String], cwd: String? = nil, timeout: Double) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        let finished = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in finished.signal() }
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            XCTFail("\(path) \(args) did not finish within \(timeout) s")
        }
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func freePort() throws -> UInt16 {
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        defer { l.close() }
        return l.port
    }

    /// Serves one connection with our server on a background thread.
    private func serveOnce(_ dir: String) throws -> (port: UInt16, done: DispatchSemaphore, listener: TCPListener) {
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 10))
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if let t = try? listener.accept(deadline: .after(seconds: 20)) { server.serve(t) }
            done.signal()
        }
        return (listener.port, done, listener)
    }

    private func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    private func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func testOurClientToPyOBEXServer() throws {
        try requirePyOBEX()
        let dir = try makeScratchDirectory(self)
        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.python)
        server.arguments = [Self.peerScript, "server", "--dir", dir, "--port", String(port), "--once"]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        var transport: SocketTransport?
        let until = Date().addingTimeInterval(10)
        while transport == nil && Date() < until {
            transport = try? TCPTransport.connect(host: "127.0.0.1", port: port, deadline: .after(seconds: 1))
            if transport == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let big = randomBytes(200_000, seed: 3)
        let name = "Línea de ayuda 求助.opus"
        let client = ObjectPushClient(transport: try XCTUnwrap(transport), timeouts: .init(connect: 5, decision: 10, transfer: 5))
        XCTAssertEqual(client.deliver([PushObject(name: "helpline.opus", bytes: big), PushObject(name: name, bytes: Array("hola".utf8))]),
                       [.delivered, .delivered])
        server.waitUntilExit()
        XCTAssertEqual(contents(dir + "/helpline.opus"), Data(big))
        XCTAssertEqual(contents(dir + "/" + name), Data("hola".utf8))
    }

    func testPyOBEXClientToOurServer() throws {
        try requirePyOBEX()
        let inbox = try makeScratchDirectory(self)
        let outbox = try makeScratchDirectory(self)
        let big = randomBytes(300_000, seed: 5)
        write(big, to: outbox + "/announcement.opus")
        write(Array("salam".utf8), to: outbox + "/ñandú.txt")
        let (port, done, listener) = try serveOnce(inbox)
        defer { listener.close() }
        let result = try run(Self.python, [Self.peerScript, "push", "--port", String(port), outbox + "/announcement.opus", outbox + "/ñandú.txt"], timeout: 30)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(contents(inbox + "/announcement.opus"), Data(big))
        XCTAssertEqual(contents(inbox + "/ñandú.txt"), Data("salam".utf8))
    }

    func testObexftpToOurServer() throws {
        let obexftp = try requireObexftp()
        let inbox = try makeScratchDirectory(self)
        let outbox = try makeScratchDirectory(self)
        let big = randomBytes(250_000, seed: 9)
        write(big, to: outbox + "/helpline-en.opus")
        let (port, done, listener) = try serveOnce(inbox)
        defer { listener.close() }
        // obexftp exits 255 even after a good push: judge by the file.
        try run(obexftp, ["-n", "127.0.0.1:\(port)", "-U", "none", "-H", "-S", "-p", "helpline-en.opus"], cwd: outbox, timeout: 30)
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(contents(inbox + "/helpline-en.opus"), Data(big))
    }
}
