import FoundationEssentials
import HotlineBus
import HotlineCore
import HotlineHTTP
import HotlineStorage
import HotlineStreams

/// `/healthz`, `/readyz`, `/metrics` and the admin routes every service serves.
enum StandardRoutes {
    struct Readiness: Codable, Sendable {
        let status: String
        let service: String
        let database: String
        let migrations: Int
        let expectedMigrations: Int
        let bus: String
        let streams: [String: StreamStatus]
        let deadLetters: Int
        /// What the service still works through but an operator must fix (status `degraded`).
        let warnings: [String]
        /// The time this service stamps requests with now, and whether it follows the system
        /// clock or the suite's manual one (`hotline clock`).
        let clock: String
        let clockMode: String
        /// The head of this service's own stream: with the followers' cursors, whether the
        /// suite has settled (every event applied everywhere).
        let streamHead: Int64
        enum CodingKeys: String, CodingKey {
            case status, service, database, migrations, bus, streams, warnings, clock
            case clockMode = "clock_mode"
            case streamHead = "stream_head"
            case expectedMigrations = "expected_migrations"
            case deadLetters = "dead_letters"
        }
    }

    struct StreamStatus: Codable, Sendable {
        let cursor: Int64
        let head: Int64
        let lag: Int64
        /// flowing, stalled (waiting out a storage fault) or broken (refused an event that
        /// does not continue the chain; waiting for the real one)
        let state: String
        let fault: String?
    }

    static func routes(context: ServiceContext, bus: BusClient, followers: [StreamFollower], expectedMigrations: Int,
                       openAPIDocument: [UInt8]?, rebuildableTables: [String],
                       warnings: @escaping @Sendable () async throws -> [String] = { [] }) -> [Route]
    {
        let rebuild = Rebuild()
        var routes: [Route] = []
        if let document = openAPIDocument {
            routes.append(Route("GET", "/openapi.json", roles: nil) { _ in
                HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: document)
            })
        }
        return routes + [
            Route("GET", "/healthz", roles: nil) { _ in .text("ok\n") },
            Route("GET", "/readyz", roles: nil) { _ in
                // The cursors before the head: a follower moves its cursor only after the
                // transaction that applied the events (and stored what they caused) committed,
                // so the head read after them includes every event those cursors caused. One
                // round of every service's answer then tells whether the suite has settled.
                var streams: [String: StreamStatus] = [:]
                for f in followers {
                    let s = f.status
                    let state = s.broken != nil ? "broken" : s.stalled != nil ? "stalled" : "flowing"
                    streams[f.stream] = StreamStatus(cursor: s.cursor, head: s.knownHead, lag: max(0, s.knownHead - s.cursor),
                                                     state: state, fault: s.broken ?? s.stalled)
                }
                var dbStatus = "ok"
                var version = 0
                var openDeadLetters = 0
                var streamHead: Int64 = 0
                do {
                    version = try await Migrator.currentVersion(context.database)
                    (openDeadLetters, streamHead) = try await context.read { tx in
                        (Int(try tx.scalarInt("SELECT COUNT(*) FROM dead_letters WHERE redriven_at IS NULL") ?? 0), try context.store.head(tx))
                    }
                } catch {
                    dbStatus = "error: \(error)"
                }
                if dbStatus == "ok", let fault = context.database.writeHealth.fault {
                    dbStatus = "not writable: \(fault)"
                }
                let ready = dbStatus == "ok" && version >= expectedMigrations && bus.isConnected && context.clockReady
                    && streams.values.allSatisfy { $0.state == "flowing" }
                var notes: [String] = []
                if dbStatus == "ok" {
                    do { notes = try await warnings() } catch { notes = ["warnings could not be read: \(error)"] }
                }
                let body = Readiness(status: !ready ? "not ready" : notes.isEmpty ? "ready" : "degraded", service: context.settings.service,
                                     database: dbStatus, migrations: version, expectedMigrations: expectedMigrations,
                                     bus: bus.isConnected ? "connected" : "disconnected", streams: streams,
                                     deadLetters: openDeadLetters, warnings: notes, clock: Timestamp.format(context.clock.now()),
                                     clockMode: context.clock is ManualClock ? "manual" : "system", streamHead: streamHead)
                return try .json(body, status: ready ? 200 : 503)
            },
            Route("GET", "/metrics", roles: nil) { request in
                // A scraper's own secret when configured: the figures say how busy and how
                // faulty each service is, which is nobody else's business.
                if let expected = context.settings.metricsToken {
                    let given = request.header("authorization").map { Array($0.utf8) } ?? []
                    guard ConstantTime.equal(given, Array("Bearer \(expected)".utf8)) else {
                        return Problem(status: 401, detail: "/metrics needs its bearer token (HOTLINE_METRICS_TOKEN)",
                                       headers: ["WWW-Authenticate": "Bearer realm=\"hotline-metrics\""]).response
                    }
                }
                return .text(context.metrics.render(), contentType: "text/plain; version=0.0.4")
            },
            Route("GET", "/v1/admin/dead-letters", roles: [.admin]) { _ in
                try .json(try await context.read { tx in try ConsumerState.openDeadLetters(tx) })
            },
            Route("POST", "/v1/admin/dead-letters/{stream}/{seq}/redrive", roles: [.admin]) { request in
                guard let seq = Int64(request.parameter("seq")) else { throw Problem.badRequest("seq must be an integer") }
                let stream = request.parameter("stream")
                guard let follower = followers.first(where: { $0.stream == stream }) else {
                    throw Problem.notFound("this service does not follow \(stream)")
                }
                return try .json(try await Redrive.run(stream: stream, seq: seq, follower: follower, context: context))
            },
            Route("POST", "/v1/admin/rebuild", roles: [.admin]) { _ in
                try .json(try await rebuild.run(tables: rebuildableTables, followers: followers, context: context), status: 202)
            },
            Route("GET", "/v1/admin/stream/verify", roles: [.admin, .auditor]) { _ in
                let store = context.store
                let (broken, head) = try await context.read { tx in (try store.verify(tx), try store.head(tx)) }
                return try .json(["stream": .string(context.settings.service), "head": .number(Double(head)),
                                  "intact": .bool(broken == nil),
                                  "first_broken_seq": broken.map { .number(Double($0)) } ?? .null] as [String: JSONValue])
            },
        ]
    }
}

/// Re-applies a dead-lettered event on an admin's request.
enum Redrive {
    struct Outcome: Codable, Sendable {
        let stream: String
        let seq: Int64
        let redriven: Bool
        let error: String?
    }

    static func run(stream: String, seq: Int64, follower: StreamFollower, context: ServiceContext) async throws -> Outcome {
        let letters = try await context.read { tx in try ConsumerState.openDeadLetters(tx) }
        guard let letter = letters.first(where: { $0.stream == stream && $0.seq == seq }) else {
            throw Problem.notFound("no open dead letter \(stream)/\(seq)")
        }
        let logic = follower.logicForRedrive
        do {
            try await context.transact { tx, sink in
                try logic.apply(letter.event, tx, sink, context)
                try ConsumerState.markRedriven(tx, stream: stream, seq: seq, at: Date())
            }
            context.logger.notice("dead letter re-driven", ["bus.stream": stream, "event.seq": String(seq)])
            return Outcome(stream: stream, seq: seq, redriven: true, error: nil)
        } catch {
            return Outcome(stream: stream, seq: seq, redriven: false, error: "\(error)")
        }
    }
}
