import FoundationEssentials
import Glibc
import HotlineCore
import HotlineRuntime
import IntakeService

exit(await ServiceRunner.main(
    service: "intake", executable: "hotline-intake",
    summary: "accepts citizens' requests from every channel and answers their status.", extraHelp: IntakeSettings.help
) { env in IntakeService(try IntakeSettings.fromEnvironment(env)) })
