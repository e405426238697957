using System.CommandLine;

namespace LinkTracker.Cli;

internal static class LinkTrackerCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand("LinkTracker: multi-tenant link tracking. Redirect first, record later.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TenantsCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(ClicksCommand.Create());
        root.Subcommands.Add(SegmentsCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        return root;
    }
}
