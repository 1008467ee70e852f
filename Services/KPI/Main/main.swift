import FoundationEssentials
import Glibc
import HotlineRuntime
import KPIService

exit(await ServiceRunner.main(
    KPIService(), executable: "hotline-kpi",
    summary: "computes the response, on-time, resolution and satisfaction rates auditors read."))
