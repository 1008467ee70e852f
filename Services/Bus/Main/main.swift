import BusService
import FoundationEssentials
import Glibc

exit(await BusCommand.main(arguments: CommandLine.arguments))
