using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Results;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (import) `linktracker import` of a 100,000-link CSV export, then of the same file again, on SQLite and on PostgreSQL
/// (the bench's private server, tenant login): the "a 100,000-row file under a time budget", with the links
/// counted in the database after each run (the second run must create nothing).
/// </summary>
public sealed class ImportScenario : IScenario
{
    private const string Slug = "imp";
    private const int Rows = 100_000;
    private const int Campaigns = 50;
    private const double TargetSeconds = 30; // per run of 100,000 rows, process start to exit

    public string Id => "import";

    public string Title => "Importing a 100,000-link export, twice";

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        var folder = context.NewFolder("import");
        var file = Path.Combine(folder, "links.csv");
        var pastClicks = await WriteExportAsync(file, cancellationToken);
        report.Notes.Add($"{Rows:#,0} rows `code,url,campaign,tags,createdAt,title,clicks` ({new FileInfo(file).Length / 1048576.0:0.0} MiB), "
            + $"{Campaigns} campaigns, 2 tags a row, {pastClicks:#,0} past clicks; `linktracker import --format csv --json`, timed from process "
            + "start to exit (the .NET start-up included); links counted in the tenant's database after each run.");
        var runs = new Table("Runs", "Engine", "Run", "Seconds", "Rows/s", "Created", "Unchanged", "Rejected", "Links stored");
        report.Tables.Add(runs);

        context.Log("(import) SQLite");
        var data = context.NewFolder("import-sqlite");
        await LinkTrackerCli.AddTenantAsync(context.Paths, data, Slug, cancellationToken);
        await ImportTwiceAsync(context, report, runs, "SQLite", file, data, new Dictionary<string, string>(), ct => CountSqliteLinksAsync(data, ct), cancellationToken);

        context.Log("(import) starting PostgreSQL (scripts/services.sh)");
        var servicesFolder = Path.Combine(Path.GetTempPath(), "linktracker-bench-services-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        await using var services = await PrivateServices.StartAsync(context.Paths, servicesFolder, cancellationToken);
        await using var database = await BenchDatabase.CreateAsync(services.Postgres, cancellationToken);
        var pgData = context.NewFolder("import-postgres");
        await LinkTrackerCli.AddTenantAsync(context.Paths, pgData, Slug, database.ProvisioningEnvironment, cancellationToken);
        var runtime = database.RuntimeSettings.Select(s => s.Split('=', 2)).ToDictionary(p => "LINKTRACKER__" + p[0].Replace(":", "__", StringComparison.Ordinal), p => p[1]);
        await ImportTwiceAsync(context, report, runs, "PostgreSQL", file, pgData, runtime, ct => database.CountLinksAsync(Slug, ct), cancellationToken);
    }

    private static async Task ImportTwiceAsync(
        BenchContext context, ScenarioReport report, Table runs, string engine, string file, string data,
        IReadOnlyDictionary<string, string> environment, Func<CancellationToken, Task<long>> countLinks, CancellationToken cancellationToken)
    {
        foreach (var run in (string[])["first", "again"])
        {
            context.Log($"(import) {engine}: {run}");
            var result = await LinkTrackerCli.RunAsync(
                context.Paths, ["import", file, "--tenant", Slug, "--format", "csv", "--json", "--data", data], environment, cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"linktracker import on {engine} ({run}) exited {result.ExitCode}: {result.Error}");
            }

            var json = JsonNode.Parse(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{')))!;
            var created = (int)json["created"]!;
            var unchanged = (int)json["unchanged"]!;
            var rejected = json["rejected"]!.AsArray().Count;
            var stored = await countLinks(cancellationToken);
            var seconds = result.Elapsed.TotalSeconds;
            runs.Add(engine, run, seconds, Rows / seconds, created, unchanged, rejected, stored);
            var key = $"{engine.ToLowerInvariant()}.{run}";
            report.Figure(key + ".seconds", seconds);
            report.Figure(key + ".rows_per_second", Rows / seconds);
            report.Check($"{engine}: import of {Rows:#,0} rows ({run})", seconds, "<=", TargetSeconds, " s");
            report.Check($"{engine}: links created ({run})", created, "==", run == "first" ? Rows : 0);
            report.Integrity.Add(new Integrity(Slug, $"{engine}: links in the database after the {run} run vs rows in the file",
                Rows, stored, Math.Max(0, Rows - stored), Math.Max(0, stored - Rows), 0));
        }
    }

    private static async Task<long> CountSqliteLinksAsync(string data, CancellationToken cancellationToken)
    {
        var path = Path.Combine(data, "tenants", Slug + ".db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM links";
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    /// <returns>The past clicks the file carries.</returns>
    private static async Task<long> WriteExportAsync(string path, CancellationToken cancellationToken)
    {
        var created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        long clicks = 0;
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        await writer.WriteLineAsync("code,url,campaign,tags,createdAt,title,clicks");
        for (var i = 0; i < Rows; i++)
        {
            var past = i % 500;
            clicks += past;
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"i{i},https://shop.example.com/p/{i}?src=import,c{i % Campaigns},email|t{i % 7},{created.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ},Product {i},{past}")
                .AsMemory(), cancellationToken);
        }

        return clicks;
    }
}
