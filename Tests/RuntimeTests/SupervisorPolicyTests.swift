import HotlineCLI
import Testing

/// How `hotline run` restarts children (issue 16: a bus killed quickly again and again
/// waited up to 30 s).
@Suite struct SupervisorPolicyTests {
    @Test func busComesBackWithinASecondServicesBackOff() {
        for restarts in 1...50 {
            #expect(SuiteSupervisor.restartDelay("bus", restarts: restarts) <= 1)
        }
        #expect(SuiteSupervisor.restartDelay("bus", restarts: 1) == 0.1)
        #expect(SuiteSupervisor.restartDelay("dispatch", restarts: 1) == 0.5)
        #expect(SuiteSupervisor.restartDelay("dispatch", restarts: 3) == 2)
        #expect(SuiteSupervisor.restartDelay("dispatch", restarts: 50) == 30)
    }
}
