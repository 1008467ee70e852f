import Foundation
import HotlineCLI

exit(await HotlineCommand.main(arguments: CommandLine.arguments))
