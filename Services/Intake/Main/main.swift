import Foundation
import HotlineCore
import HotlineRuntime
import IntakeService

let key = ProcessInfo.processInfo.environment["HOTLINE_PHONE_HASH_KEY"] ?? "hotline-local-phone-hash-key"
exit(await ServiceRunner.main(
    IntakeService(phoneKey: key), executable: "hotline-intake",
    summary: "accepts citizens' requests from every channel and answers their status."))
