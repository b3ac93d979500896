import ArgumentParser

/// The `crumbs` command: only lists the subcommands.
@main
struct Crumbs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crumbs",
        abstract: "A local tracker and cookie inspection proxy.",
        version: CrumbsVersion.description,
        subcommands: [
            RunCommand.self, ClassifyCommand.self, ListsCommand.self, CACommand.self, GraphCommand.self,
            DigestCommand.self, ImportCommand.self, CaptureCommand.self, ForgetCommand.self, DevicesCommand.self,
        ]
    )
}
