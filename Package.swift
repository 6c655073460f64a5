// swift-tools-version:6.0
// PSACaster: Bluetooth public-service announcements for grassroots organisations.
// No Swift package dependencies: only the toolchain and Debian's C libraries
// (installed by scripts/setup.sh).
import PackageDescription

let package = Package(
    name: "PSACaster",
    products: [
        .executable(name: "psacaster", targets: ["PSACaster"]),
        .library(name: "AudioEncode", targets: ["AudioEncode"]),
        .library(name: "OBEXPush", targets: ["OBEXPush"]),
        .library(name: "BlueZ", targets: ["BlueZ"]),
    ],
    targets: [
        // One target per C library. System libraries where the API imports
        // cleanly; C shims where Swift cannot call it directly (variadic ctls,
        // macros, inline helpers).
        .target(name: "COpus", linkerSettings: [.linkedLibrary("opus")]),
        .systemLibrary(name: "COgg", pkgConfig: "ogg"),
        .systemLibrary(name: "CSndfile", pkgConfig: "sndfile"),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr"),
        .systemLibrary(name: "CEbur128", pkgConfig: "libebur128"),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa"),
        .systemLibrary(name: "CNettle", pkgConfig: "nettle"),
        .target(name: "CBluetooth", linkerSettings: [.linkedLibrary("bluetooth")]),

        // Optimised even in debug builds: the per-sample DSP (limiter,
        // downmix) is ~20× slower at -Onone, which made tests crawl.
        .target(name: "AudioEncode",
                dependencies: ["COpus", "COgg", "CSndfile", "CSoxr", "CEbur128"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "OBEXPush", dependencies: ["CBluetooth"]),
        .target(name: "BlueZ", dependencies: ["CBluetooth", "OBEXPush"]),
        .executableTarget(name: "PSACaster",
                          dependencies: ["AudioEncode", "OBEXPush", "BlueZ", "CALSA", "CNettle"]),

        .testTarget(name: "AudioEncodeTests", dependencies: ["AudioEncode"]),
        .testTarget(name: "OBEXPushTests", dependencies: ["OBEXPush"]),
        .testTarget(name: "BlueZTests", dependencies: ["BlueZ"]),
        .testTarget(name: "PSACasterTests", dependencies: ["PSACaster"]),
    ],
    swiftLanguageModes: [.v5]
)
