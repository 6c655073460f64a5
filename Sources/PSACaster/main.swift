import Foundation

// psacaster: the command-line tool and the unattended broadcast service.
// Exit codes: 0 success, 1 failure, 2 usage error.

let psacasterVersion = "0.1.0"

func printTopLevelHelp() {
    var out = "OVERVIEW: Beam short spoken announcements to the phones around you over Bluetooth.\n\n"
    out += "USAGE: psacaster <command> [options]\n\nCOMMANDS:\n"
    for c in CommandRegistry.all { out += HelpText.row(c.spec.name, c.spec.summary) }
    out += "\nOPTIONS:\n" + HelpText.row("--version", "Show the version.") + HelpText.row("-h, --help", "Show help information.")
    out += "\nSee 'psacaster <command> --help' for the options of each command.\n"
    print(out, terminator: "")
}

func runMain(_ argv: [String]) -> Int32 {
    let args = Array(argv.dropFirst())
    guard let first = args.first else {
        printTopLevelHelp()
        return 2
    }
    if first == "--help" || first == "-h" || first == "help" {
        if args.count > 1, let (c, _) = CommandRegistry.find(Array(args.dropFirst())) {
            print(HelpText.render(c.spec), terminator: "")
        } else {
            printTopLevelHelp()
        }
        return 0
    }
    if first == "--version" || first == "-V" {
        print("psacaster \(psacasterVersion)")
        return 0
    }
    guard let (command, consumed) = CommandRegistry.find(args) else {
        let grouped = CommandRegistry.group(first)
        if !grouped.isEmpty {
            let names = grouped.map { $0.spec.name.split(separator: " ").last.map(String.init) ?? "" }
            Console.error("\(first): needs a subcommand: \(names.joined(separator: ", ")). Run 'psacaster \(first) <subcommand> --help'.")
            return 2
        }
        let hint = ParsedArguments.closest(to: first, in: CommandRegistry.all.map { $0.spec.name })
        Console.error(UsageError.unknownCommand(first, hint: hint).description)
        return 2
    }
    let rest = Array(args.dropFirst(consumed))
    if rest.contains("--help") || rest.contains("-h") {
        print(HelpText.render(command.spec), terminator: "")
        return 0
    }
    do {
        let parsed = try ParsedArguments(spec: command.spec, arguments: rest)
        return try command.run(parsed)
    } catch let error as UsageError {
        Console.error(error.description)
        return 2
    } catch {
        Console.error(String(describing: error))
        return 1
    }
}

Signals.ignoreSIGPIPE()
exit(runMain(CommandLine.arguments))
