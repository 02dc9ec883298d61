// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "oms-upgrade",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "oms-upgrade", targets: ["oms-upgrade"])
    ],
    // Pinned to the versions of the offline package copies: Package.resolved stays untracked, so a
    // clean clone resolves from these lines alone (upToNextMinor only admits patch releases).
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", .upToNextMinor(from: "1.8.2")),
        .package(url: "https://github.com/apple/swift-log.git", .upToNextMinor(from: "1.16.2")),
        .package(url: "https://github.com/jpsim/Yams.git", .upToNextMinor(from: "6.2.2")),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", .upToNextMinor(from: "1.0.2")),
        .package(url: "https://github.com/apple/swift-crypto.git", .upToNextMinor(from: "3.12.3")),
        .package(url: "https://github.com/apple/swift-certificates.git", .upToNextMinor(from: "1.21.1")),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", .upToNextMinor(from: "2.0.1")),
    ],
    targets: [
        // The command-line entry point: @main only.
        .executableTarget(
            name: "oms-upgrade",
            dependencies: ["UpgradeCommands", "UpgradeEngine"]
        ),
        // One file per subcommand; parses options and hands off to the engine.
        .target(
            name: "UpgradeCommands",
            dependencies: [
                "UpgradeEngine", "OMSDeployment", "MetaDump", "MetaDB", "Containers", "TerminalProgress",
                "UpgradeReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["BuildInfoPlugin"]
        ),
        // Generates BuildInfo.swift (VERSION, git commit, build date) for --version; scripts/build-info.sh.
        .plugin(
            name: "BuildInfoPlugin",
            capability: .buildTool(),
            path: "Plugins/BuildInfoPlugin"
        ),
        // Plan, steps, journal, lock and the runner that applies and undoes an upgrade.
        .target(
            name: "UpgradeEngine",
            dependencies: [
                "OMSDeployment", "MetaDump", "OnlineCopy", "MetaDB", "Containers", "TerminalProgress",
                "CProcessControl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // prctl, which Swift cannot call (variadic): no core dumps of a process holding a password.
        .target(name: "CProcessControl"),
        // A run's report: the model read from the run directory, HTML with an SVG timeline, Markdown.
        .target(
            name: "UpgradeReport",
            dependencies: ["UpgradeEngine", "MetaDump", "MetaDB", "OMSDeployment"]
        ),
        // What an OMS deployment is: config.yaml, mounts, the new container's spec, routes, health.
        .target(
            name: "OMSDeployment",
            dependencies: [
                "Containers", "MetaDB", "COpenSSL", "BlockingWork",
                .product(name: "Yams", package: "Yams"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The route table is compiled in (UpgradeRoutes+Table.swift, scripts/embed-routes.sh): no resource bundle.
            exclude: ["Resources/upgrade-routes.json"]
        ),
        // The fast rollback's snapshot: the online copy beside each metadata database, the change capture
        // (triggers into change-log tables), the catch-up at the stop and the swap back.
        .target(
            name: "OnlineCopy",
            dependencies: ["MetaDump", "MetaDB", "TerminalProgress", "BlockingWork"]
        ),
        // Backup, restore, verification and heartbeat pruning of the metadata databases, and what the online
        // copy shares with them: catalog, checksums, object definitions, sessions, the table swap, errors.
        .target(
            name: "MetaDump",
            dependencies: [
                "MetaDB", "TerminalProgress", "BlockingWork", "ChildProcesses",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A MySQL-protocol client over MariaDB Connector/C.
        .target(
            name: "MetaDB",
            dependencies: ["CMariaDB", "BlockingWork"]
        ),
        // The one pool of threads for blocking work (libmariadb calls, file and socket I/O).
        .target(name: "BlockingWork"),
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]
        ),
        // OpenSSL's TLS client for the health probe's HTTPS (the same libssl libmariadb links).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // How the tool starts its child processes (the docker CLI, the MySQL clients): in a process group of their own.
        .target(
            name: "ChildProcesses",
            dependencies: [.product(name: "Subprocess", package: "swift-subprocess")]
        ),
        // The container engine, spoken to through the docker CLI.
        .target(
            name: "Containers",
            dependencies: [
                "ChildProcesses",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Progress on stderr: auto | plain | none.
        .target(name: "TerminalProgress"),
        // Benchmarks (not tests): MetaDump against the guide's commands and the usual tools; scripts/bench.sh.
        // Benchmarks of the data steps against the manual tools (scripts/bench.sh); Benchmarks/upgrade holds
        // the whole-upgrade benchmark's shell scripts (scripts/bench-upgrade.sh).
        .executableTarget(
            name: "oms-upgrade-bench",
            dependencies: ["MetaDump", "OnlineCopy", "MetaDB", "TerminalProgress"],
            path: "Benchmarks",
            exclude: ["upgrade", "multinode"]
        ),

        // Shared helpers for integration tests: where the sandbox's MariaDB and dockerd are.
        .target(
            name: "SandboxSupport",
            dependencies: [],
            path: "Tests/SandboxSupport"
        ),
        .testTarget(
            name: "SandboxSupportTests",
            dependencies: ["SandboxSupport"]
        ),
        .testTarget(
            name: "MetaDBTests",
            dependencies: ["MetaDB", "BlockingWork", "SandboxSupport"]
        ),
        .testTarget(
            name: "OMSDeploymentTests",
            dependencies: ["OMSDeployment", "SandboxSupport"]
        ),
        // The docker CLI engine against dockerd, and the container types' pure logic.
        .testTarget(
            name: "ContainersTests",
            dependencies: ["Containers", "SandboxSupport"]
        ),
        // Argument parsing of every subcommand: usage errors, --help, option validation.
        .testTarget(
            name: "UpgradeCommandsTests",
            dependencies: [
                "UpgradeCommands", "UpgradeEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MetaDumpTests",
            dependencies: [
                "MetaDump", "OnlineCopy", "MetaDB", "SandboxSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "FixtureTests",
            dependencies: ["SandboxSupport"]
        ),
        // The release tarball (scripts/release.sh) on a host without Swift, and the build info script.
        .testTarget(
            name: "ReleaseTests",
            dependencies: ["SandboxSupport"]
        ),
        // Resources: the plan.json files of earlier versions that PlanFileCompatibilityTests loads.
        .testTarget(
            name: "UpgradeEngineTests",
            dependencies: [
                "UpgradeEngine", "UpgradeCommands", "OMSDeployment", "MetaDump", "MetaDB", "Containers",
                "SandboxSupport",
            ],
            resources: [.process("Resources")]
        ),
        .testTarget(
            name: "UpgradeReportTests",
            dependencies: ["UpgradeReport", "UpgradeEngine", "MetaDump", "OMSDeployment", "Containers"]
        ),
        .testTarget(
            name: "BlockingWorkTests",
            dependencies: ["BlockingWork"]
        ),
        .testTarget(
            name: "TerminalProgressTests",
            dependencies: ["TerminalProgress"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// A warning in the project's own targets fails the build where OMS_WARNINGS_AS_ERRORS is set (scripts/test.sh, so
// CI; scripts/release.sh). Only these targets get the setting: dependencies' warnings never fail it.
if Context.environment["OMS_WARNINGS_AS_ERRORS"] != nil {
    for target in package.targets where [.regular, .executable, .test].contains(target.type) {
        guard target.name != "CProcessControl" else { continue }
        target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
    }
}
