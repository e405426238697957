namespace LinkTracker.Bench.Infrastructure;

/// <summary>Where the repository and the built (Release) servers are; the bench builds nothing itself.</summary>
public sealed record RepoPaths(string Root)
{
    public string LinkTrackerDll => Path.Combine(Root, "src", "LinkTracker", "bin", "Release", "net10.0", "linktracker.dll");

    public string BareRedirectDll => Path.Combine(Root, "bench", "BareRedirect", "bin", "Release", "net10.0", "BareRedirect.dll");

    /// <summary>The folder holding LinkTracker.slnx, searched upwards from the working folder, then from the bench's own folder.</summary>
    public static RepoPaths Find()
    {
        foreach (var start in (string[])[Directory.GetCurrentDirectory(), AppContext.BaseDirectory])
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LinkTracker.slnx")))
                {
                    return new RepoPaths(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException("LinkTracker.slnx not found above the working folder; run the bench from the repository (bash bench/run.sh).");
    }

    /// <summary>Fails with the command to run when a server was not built.</summary>
    public void RequireBuilt()
    {
        foreach (var dll in (string[])[LinkTrackerDll, BareRedirectDll])
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing. Build Release first: bash bench/run.sh (it builds, then runs the bench).");
            }
        }
    }
}
