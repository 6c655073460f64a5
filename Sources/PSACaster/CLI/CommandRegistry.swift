/// Every subcommand, in the order `psacaster --help` lists them.
/// Two-word names ("campaign create") are nested commands.
enum CommandRegistry {
    static let all: [Command.Type] = [
        // Audio (AudioEncode)
        EncodeCommand.self,
        InspectCommand.self,
        // Catalog and field-staff workflow
        AddCommand.self,
        ListCommand.self,
        ShowCommand.self,
        PlayCommand.self,
        RemoveCommand.self,
        ApproveCommand.self,
        UnapproveCommand.self,
        CampaignCreateCommand.self,
        CampaignEditCommand.self,
        CampaignListCommand.self,
        CampaignRemoveCommand.self,
        CatalogVerifyCommand.self,
        RecordCommand.self,
        ReceiveCommand.self,
        // Bluetooth
        AdaptersCommand.self,
        ScanCommand.self,
        PushCommand.self,
        ServeOBEXCommand.self,
        // The service
        BroadcastCommand.self,
        StatusCommand.self,
    ]

    static func find(_ words: [String]) -> (Command.Type, consumed: Int)? {
        if words.count >= 2, let c = all.first(where: { $0.spec.name == "\(words[0]) \(words[1])" }) { return (c, 2) }
        if let first = words.first, let c = all.first(where: { $0.spec.name == first }) { return (c, 1) }
        return nil
    }

    /// Commands whose name starts with `group` ("campaign" → create, edit, …).
    static func group(_ group: String) -> [Command.Type] {
        all.filter { $0.spec.name.hasPrefix(group + " ") }
    }
}
