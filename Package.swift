// swift-tools-version:6.0
// Hotline: a 12345 citizen-hotline platform as a suite of cooperating processes.
// No package dependencies: Foundation, Dispatch, the test frameworks, libsqlite3 and libpq.
import Foundation
import PackageDescription

let package = Package(
    name: "Hotline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hotline", targets: ["HotlineMain"]),
        .executable(name: "hotline-bus", targets: ["BusMain"]),
        .executable(name: "hotline-intake", targets: ["IntakeMain"]),
        .executable(name: "hotline-dispatch", targets: ["DispatchMain"]),
        .executable(name: "hotline-supervision", targets: ["SupervisionMain"]),
        .executable(name: "hotline-callback-survey", targets: ["SurveyMain"]),
        .executable(name: "hotline-kpi", targets: ["KPIMain"]),
    ],
    targets: [
        // C libraries from the system.
        .systemLibrary(name: "CSQLite", path: "Shared/CSQLite"),
        // libpq is loaded at run time (see Shared/CLibPQ/shim.h): headers only here, no link.
        .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ"),
        .systemLibrary(name: "CEpoll", path: "Shared/CEpoll"),
        // Header only: SHA-256's block function on the x86 SHA instructions (see its header).
        .systemLibrary(name: "CSHA256", path: "Shared/CSHA256"),
        // Unicode NFKC from the ICU Swift ships (see its header).
        .systemLibrary(name: "CICU", path: "Shared/CICU"),

        // Shared libraries.
        .target(name: "HotlineCore", dependencies: ["CEpoll", "CSHA256"], path: "Shared/HotlineCore"),
        .target(name: "HotlineStorage", dependencies: ["HotlineCore", "CSQLite", "CLibPQ"], path: "Shared/HotlineStorage"),
        .target(name: "HotlineStreams", dependencies: ["HotlineCore", "HotlineStorage"], path: "Shared/HotlineStreams"),

        .target(name: "HotlineHTTP", dependencies: ["HotlineCore"], path: "Shared/HotlineHTTP"),
        .target(name: "HotlineDomain", dependencies: ["HotlineCore"], path: "Shared/HotlineDomain"),
        .target(name: "HotlineBus", dependencies: ["HotlineCore", "HotlineStreams"], path: "Shared/HotlineBus"),

        .target(
            name: "HotlineRuntime",
            dependencies: ["HotlineCore", "HotlineStorage", "HotlineStreams", "HotlineBus", "HotlineHTTP", "HotlineDomain"],
            path: "Shared/HotlineRuntime"),

        // Services: a library with the logic, a thin executable that wires it.
        .target(name: "BusService", dependencies: ["HotlineCore", "HotlineBus"], path: "Services/Bus/BusService"),
        .executableTarget(name: "BusMain", dependencies: ["BusService"], path: "Services/Bus/Main"),
        .target(
            name: "IntakeService", dependencies: ["HotlineRuntime"], path: "Services/Intake/IntakeService"),
        .executableTarget(name: "IntakeMain", dependencies: ["IntakeService"], path: "Services/Intake/Main"),
        .target(name: "DispatchService", dependencies: ["HotlineRuntime"], path: "Services/Dispatch/DispatchService"),
        .executableTarget(name: "DispatchMain", dependencies: ["DispatchService"], path: "Services/Dispatch/Main"),
        .target(name: "SupervisionService", dependencies: ["HotlineRuntime", "CICU"], path: "Services/Supervision/SupervisionService"),
        .executableTarget(name: "SupervisionMain", dependencies: ["SupervisionService"], path: "Services/Supervision/Main"),
        .target(name: "SurveyService", dependencies: ["HotlineRuntime"], path: "Services/CallbackSurvey/SurveyService"),
        .executableTarget(name: "SurveyMain", dependencies: ["SurveyService"], path: "Services/CallbackSurvey/Main"),
        .target(name: "KPIService", dependencies: ["HotlineRuntime"], path: "Services/KPI/KPIService"),
        .executableTarget(name: "KPIMain", dependencies: ["KPIService"], path: "Services/KPI/Main"),
        .target(name: "HotlineCLI", dependencies: ["HotlineRuntime", "BusService", "IntakeService", "DispatchService", "SupervisionService", "KPIService"], path: "Services/CLI/HotlineCLI"),
        .executableTarget(name: "HotlineMain", dependencies: ["HotlineCLI"], path: "Services/CLI/Main"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["HotlineCore", "HotlineStorage", "HotlineStreams", "HotlineDomain", "HotlineHTTP", "HotlineRuntime"], path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["HotlineCore", "TestSupport"], path: "Tests/CoreTests"),
        .testTarget(name: "BusTests", dependencies: ["BusService", "HotlineBus", "TestSupport"], path: "Tests/BusTests"),
        .testTarget(
            name: "DomainTests",
            dependencies: ["HotlineDomain", "IntakeService", "DispatchService", "SupervisionService", "SurveyService", "KPIService", "TestSupport"],
            path: "Tests/DomainTests"),
        .testTarget(name: "EndToEndTests", dependencies: ["HotlineDomain", "HotlineStorage", "HotlineStreams", "HotlineHTTP", "SurveyService", "TestSupport"], path: "Tests/EndToEndTests"),
        .testTarget(name: "HTTPTests", dependencies: ["HotlineHTTP", "TestSupport"], path: "Tests/HTTPTests"),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["HotlineRuntime", "BusService", "IntakeService", "DispatchService", "SupervisionService", "SurveyService", "KPIService", "HotlineCLI", "TestSupport"], path: "Tests/RuntimeTests"),
        .testTarget(name: "StorageTests", dependencies: ["HotlineStorage", "HotlineStreams", "TestSupport"], path: "Tests/StorageTests"),
    ]
)

// The libFuzzer target joins only fuzz builds (`HOTLINE_FUZZ=1 swift build --sanitize=fuzzer
// --scratch-path .build-fuzz`, see deploy/scripts/fuzz.sh): libFuzzer supplies `main`.
if ProcessInfo.processInfo.environment["HOTLINE_FUZZ"] == "1" {
    package.products.append(.executable(name: "hotline-fuzz-http", targets: ["HTTPParserFuzz"]))
    package.targets.append(.executableTarget(
        name: "HTTPParserFuzz", dependencies: ["HotlineHTTP"], path: "Tests/Fuzz/HTTPParserFuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}

