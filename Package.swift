// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "floodgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "floodgate", targets: ["floodgate"]),
        .executable(name: "floodgate-load", targets: ["FloodgateLoad"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(
            url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["CommandLineArguments"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "FloodgateCore",
            swiftSettings: swiftSettings
        ),
        // Admission control's algorithms: the gate, the adaptive limit, per-client token buckets, latency buckets and
        // request classes. No I/O: the web layer's middleware and connection handlers drive them.
        .target(
            name: "FloodgateAdmission",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FloodgateStore",
            dependencies: [
                "FloodgateCore",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FloodgateIntegrations",
            dependencies: [
                "FloodgateCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FloodgateCashierSim",
            dependencies: [
                "FloodgateIntegrations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FloodgateJobs",
            dependencies: [
                "FloodgateCore",
                "FloodgateStore",
                "FloodgateIntegrations",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FloodgateWeb",
            dependencies: [
                "FloodgateAdmission",
                "FloodgateCore",
                "FloodgateStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The composition root: reads one ConfigReader into each layer's settings and wires the layers together.
        // Only the command line and the tests import it.
        .target(
            name: "FloodgateApp",
            dependencies: [
                "FloodgateWeb",
                "FloodgateJobs",
                "FloodgateIntegrations",
                "FloodgateStore",
                "FloodgateCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "floodgate",
            dependencies: [
                "FloodgateApp",
                "FloodgateWeb",
                "FloodgateCashierSim",
                "FloodgateJobs",
                "FloodgateStore",
                "FloodgateCore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        // The overload benchmark's load generator (bench/overload.sh), not part of the shop.
        .executableTarget(
            name: "FloodgateLoad",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the test targets share: a scratch database of each engine (SQLite always, PostgreSQL when the suite has one).
        .target(
            name: "FloodgateTestSupport",
            dependencies: [
                "FloodgateStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/FloodgateTestSupport",
            swiftSettings: swiftSettings
        ),
        // Store on both engines, with no HTTP: repositories, transactions, the outbox, deadlines.
        .testTarget(
            name: "FloodgateStoreTests",
            dependencies: [
                "FloodgateStore",
                "FloodgateCore",
                "FloodgateTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FloodgateAdmissionTests",
            dependencies: ["FloodgateAdmission"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FloodgateCoreTests",
            dependencies: ["FloodgateCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FloodgateTests",
            dependencies: [
                "FloodgateTestSupport",
                "FloodgateApp",
                "FloodgateAdmission",
                "FloodgateWeb",
                "FloodgateJobs",
                "FloodgateIntegrations",
                "FloodgateCashierSim",
                "FloodgateStore",
                "FloodgateCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
