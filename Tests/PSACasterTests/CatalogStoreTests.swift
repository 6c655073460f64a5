import XCTest
@testable import PSACaster

final class CatalogStoreTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-tests-\(UUID().uuidString)/Audio")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir.deletingLastPathComponent())
    }

    /// A staged file with `bytes`, as the intake would leave it.
    func staged(_ store: CatalogStore, _ bytes: String) throws -> URL {
        let url = try store.stagingFile(extension: "opus")
        try DurableFile.writeNew(Data(bytes.utf8), at: url)
        return url
    }

    func draft(_ title: String, _ lang: String = "en", fileName: String? = nil) throws -> CatalogStore.Draft {
        CatalogStore.Draft(title: title, language: try LanguageTag(lang), helpline: nil, source: "imported", durationSeconds: 1.5, fileName: fileName)
    }

    func testAddPlacesTheFileThenRecordsItUnapproved() throws {
        let store = CatalogStore(root: dir)
        let a = try store.add(staged: try staged(store, "opus bytes"), draft: try draft("Helpline — free & safe!"))
        XCTAssertEqual(a.id, "en-helpline-free-safe")
        XCTAssertEqual(a.file, "en/helpline-free-safe.opus")
        XCTAssertNil(a.approval)
        XCTAssertEqual(a.sha256, Digest.hex(Digest.sha256(Array("opus bytes".utf8))))
        let m = try store.load()
        XCTAssertEqual(m.announcements, [a])
        XCTAssertEqual(try store.verifiedContents(of: a), Data("opus bytes".utf8))
        XCTAssertTrue(try CatalogVerifier.verify(store).valid)
        // The backup copy equals what was written.
        XCTAssertEqual(try CatalogStore.readManifest(at: store.backupURL), m)
    }

    func testTitlesAreUniquePerLanguageAndNamesAcrossTheCatalog() throws {
        let store = CatalogStore(root: dir)
        _ = try store.add(staged: try staged(store, "a"), draft: try draft("Helpline"))
        XCTAssertThrowsError(try store.add(staged: try staged(store, "b"), draft: try draft("  HELPLINE "))) { e in
            guard case CatalogError.duplicateTitle = e else { return XCTFail("\(e)") }
        }
        // Same title, other language: allowed, with a distinct id and delivery name.
        let my = try store.add(staged: try staged(store, "c"), draft: try draft("Helpline", "my"))
        XCTAssertEqual(my.id, "my-helpline")
        XCTAssertEqual(my.deliveryName, "helpline-2.opus")
        XCTAssertThrowsError(try store.add(staged: try staged(store, "d"), draft: try draft("Other", fileName: "HELPLINE.opus"))) { e in
            guard case CatalogError.fileNameTaken = e else { return XCTFail("\(e)") }
        }
        // A title with no Latin letters gets a neutral name.
        let km = try store.add(staged: try staged(store, "e"), draft: try draft("សេវាជំនួយ", "km"))
        XCTAssertEqual(km.deliveryName, "announcement-km.opus")
        XCTAssertEqual(km.id, "km-announcement")
    }

    func testRemoveDropsTheEntryAndCampaignReferencesThenTheFile() throws {
        let store = CatalogStore(root: dir)
        let a = try store.add(staged: try staged(store, "a"), draft: try draft("One"))
        let b = try store.add(staged: try staged(store, "b"), draft: try draft("Two"))
        try store.update { $0.campaigns.append(Campaign(name: "fair", announcements: [a.id, b.id], languages: nil)) }
        let (removed, touched) = try store.remove(id: a.id)
        XCTAssertEqual(removed.id, a.id)
        XCTAssertEqual(touched, ["fair"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.fileURL(for: a).path))
        XCTAssertEqual(try store.load().campaigns.first?.announcements, [b.id])
        XCTAssertThrowsError(try store.remove(id: a.id))
    }

    func testSelectionIsApprovedOnlyInOrder() throws {
        let store = CatalogStore(root: dir)
        let en = try store.add(staged: try staged(store, "a"), draft: try draft("One"))
        let vi = try store.add(staged: try staged(store, "b"), draft: try draft("Hai", "vi"))
        let en2 = try store.add(staged: try staged(store, "c"), draft: try draft("Three"))
        try store.update { m in
            for i in m.announcements.indices where m.announcements[i].id != en2.id { m.announcements[i].approval = Approval(by: "x", at: Date()) }
            m.campaigns = [Campaign(name: "langs", announcements: nil, languages: ["vi", "en"]),
                           Campaign(name: "ids", announcements: [en2.id, vi.id, en.id], languages: nil)]
        }
        let m = try store.load()
        XCTAssertEqual(m.campaign(named: "langs")!.selection(from: m).map(\.id), [vi.id, en.id])
        XCTAssertEqual(m.campaign(named: "ids")!.selection(from: m).map(\.id), [vi.id, en.id])
    }

    func testChangeTokenMovesOnEveryWrite() throws {
        let store = CatalogStore(root: dir)
        _ = try store.add(staged: try staged(store, "a"), draft: try draft("One"))
        let t1 = store.changeToken()
        XCTAssertNotNil(t1)
        XCTAssertEqual(store.changeToken(), t1)
        try store.update { $0.announcements[0].approval = Approval(by: "x", at: Date()) }
        XCTAssertNotEqual(store.changeToken(), t1)
    }

    func testUnchangedUpdateWritesNothing() throws {
        let store = CatalogStore(root: dir)
        _ = try store.add(staged: try staged(store, "a"), draft: try draft("One"))
        let t1 = store.changeToken()
        try store.update { _ in }
        XCTAssertEqual(store.changeToken(), t1)
    }

    func testTamperedFileIsNeverHandedOut() throws {
        let store = CatalogStore(root: dir)
        let a = try store.add(staged: try staged(store, "original"), draft: try draft("One"))
        try Data("originaL".utf8).write(to: store.fileURL(for: a))
        XCTAssertThrowsError(try store.verifiedContents(of: a))
        let report = try CatalogVerifier.verify(store)
        XCTAssertEqual(report.problems.map(\.kind), ["sha256"])
        let repaired = try CatalogVerifier.repair(store)
        XCTAssertTrue(repaired.valid)
        XCTAssertEqual(try store.load().announcements, [])
    }

    func testLeftoverFromADeadWriterIsHarmlessAndSwept() throws {
        let store = CatalogStore(root: dir)
        _ = try store.add(staged: try staged(store, "a"), draft: try draft("One"))
        // What kill -9 between "file in place" and "manifest written" leaves.
        try Data("orphan".utf8).write(to: dir.appendingPathComponent("en/orphan.opus"))
        // A dead writer's temporary manifest and staging file (pid 999999 does not exist).
        try Data("{".utf8).write(to: dir.appendingPathComponent("\(DurableFile.temporaryPrefix)999999-1-catalog.json"))
        try Data("x".utf8).write(to: store.stagingURL.appendingPathComponent("999999-5.opus"))
        let report = try CatalogVerifier.verify(store)
        XCTAssertTrue(report.valid)
        XCTAssertEqual(report.leftovers, ["en/orphan.opus"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(DurableFile.temporaryPrefix)999999-1-catalog.json").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.stagingURL.appendingPathComponent("999999-5.opus").path))
        let repaired = try CatalogVerifier.repair(store)
        XCTAssertEqual(repaired.leftovers, [])
        XCTAssertEqual(repaired.repairs.count, 1)
    }

    func testALiveWritersStagingIsNeverSwept() throws {
        let store = CatalogStore(root: dir)
        _ = try store.add(staged: try staged(store, "a"), draft: try draft("One"))
        let me = getpid()
        // An encode in progress: our staged name, and the encoder's temporary beside it.
        let names = ["\(me)-7.opus", ".\(me)-7.opus.tmp-\(me)-99", "no-pid-here.opus"]
        for n in names { try Data("x".utf8).write(to: store.stagingURL.appendingPathComponent(n)) }
        try Data("x".utf8).write(to: store.stagingURL.appendingPathComponent(".999999-1.opus.tmp-999999-2"))
        _ = try store.add(staged: try staged(store, "b"), draft: try draft("Two"))   // a second writer sweeps
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: store.stagingURL.path))
        XCTAssertEqual(left, Set(names))
    }

    func testManifestRulesAreEnforcedOnWrite() throws {
        let store = CatalogStore(root: dir)
        _ = try store.add(staged: try staged(store, "a"), draft: try draft("One"))
        XCTAssertThrowsError(try store.update { $0.campaigns.append(Campaign(name: "c", announcements: ["nope"], languages: nil)) })
        XCTAssertThrowsError(try store.update { $0.announcements[0].file = "../etc/passwd" })
        XCTAssertThrowsError(try store.update { $0.announcements[0].language = "EN" })
        XCTAssertEqual(try store.load().announcements.count, 1)
    }

    func testNewerVersionIsRefusedWithoutTouchingIt() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = #"{"format":"psacaster-catalog","version":2,"announcements":[],"campaigns":[],"future":true}"#
        try Data(text.utf8).write(to: dir.appendingPathComponent("catalog.json"))
        let store = CatalogStore(root: dir)
        XCTAssertThrowsError(try store.load()) { e in
            XCTAssertEqual(e as? CatalogError, .manifestFromNewerVersion(path: store.manifestURL.path, version: 2))
        }
        XCTAssertThrowsError(try CatalogVerifier.repair(store))
        XCTAssertEqual(try String(contentsOf: store.manifestURL), text)
    }

    func testLocationRule() {
        XCTAssertEqual(CatalogStore.locate(option: "/x/y", environment: ["PSACASTER_CATALOG": "/env"]).root.path, "/x/y")
        XCTAssertEqual(CatalogStore.locate(option: nil, environment: ["PSACASTER_CATALOG": "/env"]).root.path, "/env")
        XCTAssertEqual(CatalogStore.locate(option: nil, environment: [:]).root.lastPathComponent, "Audio")
    }
}

final class CatalogLanguageTests: XCTestCase {
    func testCanonicalTags() throws {
        XCTAssertEqual(try LanguageTag("my").canonical, "my")
        XCTAssertEqual(try LanguageTag("MY").languageName, "Burmese")
        XCTAssertEqual(try LanguageTag("bur").canonical, "my")      // ISO 639-2/B → the 2-letter code BCP 47 requires
        XCTAssertEqual(try LanguageTag("mya").canonical, "my")
        XCTAssertEqual(try LanguageTag("shn").canonical, "shn")     // Shan: 639-3 only
        XCTAssertEqual(try LanguageTag("ksw").languageName, "S'gaw Karen")
        XCTAssertEqual(try LanguageTag("pt_br").canonical, "pt-BR")
        XCTAssertEqual(try LanguageTag("zh-hant-tw").canonical, "zh-Hant-TW")
        XCTAssertEqual(try LanguageTag("es-419").canonical, "es-419")
    }

    func testUnknownAndMalformed() {
        for bad in ["xx", "qqq", "", "e", "english1", "en-Qzzz", "en-ZZ", "en-x-private", "en--US", "ไทย"] {
            XCTAssertThrowsError(try LanguageTag(bad), bad)
        }
        XCTAssertThrowsError(try LanguageTag("Tagalog")) { e in
            XCTAssertTrue(String(describing: e).contains("'tl'"), "\(e)")
        }
    }

    func testDeliveryNames() {
        XCTAssertEqual(DeliveryName.slug("Đường dây nóng 1800"), "uong-day-nong-1800")
        XCTAssertEqual(DeliveryName.slug("ဟယ်လို"), "")
        XCTAssertTrue(DeliveryName.isValid("info-point.opus"))
        for bad in ["../x.opus", "x.ogg", ".opus", "a b.opus", "é.opus", "-x.opus", String(repeating: "a", count: 60) + ".opus"] {
            XCTAssertFalse(DeliveryName.isValid(bad), bad)
        }
        XCTAssertEqual(DeliveryName.unique("a", suffix: ".opus", taken: ["a.opus", "a-2.opus"]), "a-3.opus")
    }
}
