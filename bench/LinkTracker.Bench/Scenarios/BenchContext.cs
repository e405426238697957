using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;

namespace LinkTracker.Bench.Scenarios;

/// <summary>What every scenario gets: the built servers, the sizes of this mode, a scratch folder and a progress log.</summary>
public sealed class BenchContext(RepoPaths paths, Sizes sizes, string workFolder, IReadOnlyList<string> extraSettings)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public RepoPaths Paths { get; } = paths;

    public Sizes Sizes { get; } = sizes;

    public string WorkFolder { get; } = workFolder;

    /// <summary>--set Key=Value from the command line: given to every linktracker after the scenario's own settings.</summary>
    public IReadOnlyList<string> ExtraSettings { get; } = extraSettings;

    /// <summary>--engines: the storage engines (f) runs on, "sqlite" and/or "postgres" (needs root for scripts/services.sh).</summary>
    public IReadOnlyList<string> Engines { get; init; } = ["sqlite", "postgres"];

    /// <summary>--keep-data: leave data folders, and (f)'s private PostgreSQL running, for EXPLAIN after the run.</summary>
    public bool KeepData { get; init; }

    public void Log(string message) => Console.Error.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");

    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(WorkFolder, name)).FullName;
}
