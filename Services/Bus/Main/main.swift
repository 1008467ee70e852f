import BusService
import Foundation

exit(await BusCommand.main(arguments: CommandLine.arguments))
