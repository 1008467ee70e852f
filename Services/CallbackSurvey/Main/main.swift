import FoundationEssentials
import Glibc
import HotlineRuntime
import SurveyService

exit(await ServiceRunner.main(
    SurveyService(), executable: "hotline-callback-survey",
    summary: "schedules and records the callback (回访) after each reply."))
