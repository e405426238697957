using System.CommandLine;

namespace LinkTracker.Cli;

/// <summary>Options shared by several verbs.</summary>
internal static class CliOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Folder of the embedded databases (default: ./data, or Storage:DataDirectory)",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text" };

    public static Option<string> Tenant() => new("--tenant")
    {
        Description = "The tenant's slug",
        Required = true,
    };

    /// <summary>Host configuration arguments for a verb: --data becomes Storage:DataDirectory.</summary>
    public static string[] HostArgs(ParseResult result, Option<string?> data, params string[] extra)
    {
        var args = new List<string>(extra);
        if (result.GetValue(data) is { Length: > 0 } folder)
        {
            args.Add($"--Storage:DataDirectory={folder}");
        }

        return [.. args];
    }
}
