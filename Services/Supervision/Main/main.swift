import FoundationEssentials
import Glibc
import HotlineRuntime
import SupervisionService

exit(await ServiceRunner.main(
    SupervisionService(), executable: "hotline-supervision",
    summary: "sets response and reply deadlines on the working-day calendar and announces missed ones."))
