import Foundation

enum CatalogVerifyCommand: Command {
    static let spec = CommandSpec(
        name: "catalog verify",
        summary: "Check every file and hash in the catalog; --repair quarantines what is broken.",
        usage: "[--repair] [--json]",
        discussion: """
        Checks that catalog.json is valid and that every announcement's file is present with the \
        size and sha256 the catalog records. Exit status 0 when the catalog is usable, 1 when not.
        --repair moves broken files and files the catalog does not know into quarantine/<time>/ \
        (nothing is deleted), drops broken entries, and restores a catalog.json broken by a hand \
        edit from the last copy psacaster wrote.
        \(CatalogCLI.locationDiscussion)
        """,
        options: [.flag("repair", help: "Quarantine what is broken and fix the manifest."),
                  .flag("json", help: "Print the report as JSON."), CatalogCLI.catalogOption],
        examples: ["psacaster catalog verify", "psacaster catalog verify --repair"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let store = CatalogCLI.store(args)
        let report = args.flag("repair") ? try CatalogVerifier.repair(store) : try CatalogVerifier.verify(store)
        if args.flag("json") {
            try Console.printJSON(report)
        } else {
            for r in report.repairs { print("repaired: \(r)") }
            if let m = report.manifestProblem { Console.error(m) }
            for p in report.problems { Console.error("catalog verify: \(p.id) (\(p.file)): \(p.detail). Run 'psacaster catalog verify --repair' to quarantine it, then add the recording again") }
            for l in report.leftovers { print("note: \(l) is not in the catalog (left by an interrupted add or remove); --repair moves it to quarantine") }
            if report.valid {
                print("Catalog OK: \(report.announcements) announcement\(report.announcements == 1 ? "" : "s"), \(report.campaigns) campaign\(report.campaigns == 1 ? "" : "s"), every file present and matching (\(store.root.path)).")
            }
        }
        return report.valid ? 0 : 1
    }
}
