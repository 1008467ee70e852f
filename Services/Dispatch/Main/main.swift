import DispatchService
import FoundationEssentials
import Glibc
import HotlineRuntime

exit(await ServiceRunner.main(
    DispatchService(), executable: "hotline-dispatch",
    summary: "routes tickets to the responsible units and runs their workflow (accept, reply, re-handling)."))
