/// One device found by inquiry. Held in memory only: the BlueZ module never
/// logs or stores it (addresses and names identify people).
public struct DiscoveredDevice: Equatable, Sendable, Codable {
    public let address: BluetoothAddress
    public var rssi: Int?
    public var classOfDevice: ClassOfDevice?
    public var name: String?
    /// 16-bit service UUIDs from the device's Extended Inquiry Response.
    public var serviceUUIDs16: [UInt16]

    public init(address: BluetoothAddress, rssi: Int? = nil, classOfDevice: ClassOfDevice? = nil,
                name: String? = nil, serviceUUIDs16: [UInt16] = []) {
        self.address = address
        self.rssi = rssi
        self.classOfDevice = classOfDevice
        self.name = name
        self.serviceUUIDs16 = serviceUUIDs16
    }

    /// OBEX Object Push service class UUID.
    public static let objectPushUUID: UInt16 = 0x1105

    /// Whether the device says it can receive files: the Object Transfer
    /// class-of-device bit or OBEX Object Push in its EIR. A hint for picking
    /// whom to try first; SDP has the final word.
    public var canReceive: Bool {
        (classOfDevice?.advertisesObjectTransfer ?? false) || serviceUUIDs16.contains(Self.objectPushUUID)
    }

    /// Folds a later sighting of the same device into this one (newer RSSI,
    /// keep the name and class when the newer event lacks them).
    public mutating func merge(_ other: DiscoveredDevice) {
        if let r = other.rssi { rssi = r }
        if let c = other.classOfDevice { classOfDevice = c }
        if let n = other.name { name = n }
        for u in other.serviceUUIDs16 where !serviceUUIDs16.contains(u) { serviceUUIDs16.append(u) }
    }

    enum CodingKeys: String, CodingKey { case address, rssi, classOfDevice = "class", name, serviceUUIDs16, canReceive }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(address, forKey: .address)
        try c.encode(rssi, forKey: .rssi)
        try c.encode(classOfDevice, forKey: .classOfDevice)
        try c.encode(name, forKey: .name)
        try c.encode(serviceUUIDs16, forKey: .serviceUUIDs16)
        try c.encode(canReceive, forKey: .canReceive)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        address = try c.decode(BluetoothAddress.self, forKey: .address)
        rssi = try c.decodeIfPresent(Int.self, forKey: .rssi)
        classOfDevice = try c.decodeIfPresent(ClassOfDevice.self, forKey: .classOfDevice)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        serviceUUIDs16 = try c.decodeIfPresent([UInt16].self, forKey: .serviceUUIDs16) ?? []
    }
}
