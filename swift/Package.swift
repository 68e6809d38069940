// swift-tools-version:6.0
// The Swift package of cpaas-reseller: the bindings uniffi generates from `bindings/uniffi`, over the
// Rust library built from this workspace. The generated sources are build outputs copied in by
// `scripts/test-swift.sh` (Sources/CpaasResellerFFI/*, Sources/CpaasReseller/Generated/).
import Foundation
import PackageDescription

/// Where `libcpaas_reseller_uniffi` is: `$CPAAS_RESELLER_LIB_DIR`, else the workspace's debug build
/// next to this package (`../target/debug`). The tests also find it there at run time (rpath).
let nativeLibraryDirectory: String = {
    if let directory = ProcessInfo.processInfo.environment["CPAAS_RESELLER_LIB_DIR"], !directory.isEmpty {
        return directory
    }
    return URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../target/debug")
        .standardizedFileURL
        .path
}()

let package = Package(
    name: "CpaasReseller",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "CpaasReseller", targets: ["CpaasReseller"])
    ],
    targets: [
        // The C declarations of the library's FFI (generated header + module map).
        .systemLibrary(name: "CpaasResellerFFI", path: "Sources/CpaasResellerFFI"),
        .target(
            name: "CpaasReseller",
            dependencies: ["CpaasResellerFFI"],
            path: "Sources/CpaasReseller",
            linkerSettings: [
                .unsafeFlags(["-L", nativeLibraryDirectory, "-Xlinker", "-rpath", "-Xlinker", nativeLibraryDirectory]),
                .linkedLibrary("cpaas_reseller_uniffi"),
            ]
        ),
        // scripts/bench-swift.sh: binding overhead, measured outside the tests.
        .executableTarget(name: "CpaasResellerBench", dependencies: ["CpaasReseller"], path: "Sources/CpaasResellerBench"),
        // scripts/bench-swift.sh: throughput against URLSession + JSONDecoder.
        .executableTarget(
            name: "CpaasResellerThroughput", dependencies: ["CpaasReseller"], path: "Sources/CpaasResellerThroughput"),
        .testTarget(name: "CpaasResellerTests", dependencies: ["CpaasReseller"], path: "Tests/CpaasResellerTests"),
    ],
    swiftLanguageModes: [.v6]
)
