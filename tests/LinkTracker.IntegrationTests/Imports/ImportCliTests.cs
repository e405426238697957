using System.Text.Json.Nodes;
using LinkTracker.Core.Analytics;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;

namespace LinkTracker.IntegrationTests.Imports;

/// <summary>`linktracker import` as an operator runs it: the embedded data folder, then PostgreSQL with the same settings as the other verbs.</summary>
public sealed class ImportCliTests : IDisposable
{
    private readonly TempFolder _data = new();

    private string Export => Path.Combine(_data.Path, "export.csv");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task On_the_embedded_engine_it_imports_writes_the_rejected_rows_to_a_file_and_a_second_run_changes_nothing()
    {
        await File.WriteAllTextAsync(Export, ImportSamples.Csv);
        await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--data", _data.Path);

        var dryRun = await LinkTrackerCommand.RunAsync("import", Export, "--tenant", "acme", "--format", "csv", "--dry-run", "--data", _data.Path);
        var dryRunAgain = await LinkTrackerCommand.RunAsync("import", Export, "--tenant", "acme", "--format", "csv", "--dry-run", "--json", "--data", _data.Path);
        Assert.Equal(1, dryRun.ExitCode);
        Assert.Contains("wrote nothing", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains("line 11 (count): clicks 'lots' is not a whole number", dryRun.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Export + ".rejected.csv"));
        Assert.Equal(3, (int)JsonNode.Parse(dryRunAgain.Output)!["created"]!);

        var first = await LinkTrackerCommand.RunAsync("import", Export, "--tenant", "acme", "--format", "csv", "--data", _data.Path);
        var second = await LinkTrackerCommand.RunAsync("import", Export, "--tenant", "acme", "--format", "csv", "--json", "--data", _data.Path);

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("links created: 3", first.Output, StringComparison.Ordinal);
        var rejected = await File.ReadAllLinesAsync(Export + ".rejected.csv");
        Assert.Equal("line,code,url,reason", rejected[0]);
        Assert.Equal(["6", "7", "8", "9", "10", "11"], rejected.Skip(1).Select(l => l.Split(',')[0]));
        var report = JsonNode.Parse(second.Output)!;
        Assert.Equal((0, 3, 0), ((int)report["created"]!, (int)report["unchanged"]!, (int)report["history"]!));
    }

    [Fact]
    public async Task A_file_it_cannot_read_or_an_unknown_tenant_is_one_error_line_and_exit_code_2()
    {
        await File.WriteAllTextAsync(Export, "code,destination\nx,https://x.example.com/\n");
        await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--data", _data.Path);

        var noUrl = await LinkTrackerCommand.RunAsync("import", Export, "--tenant", "acme", "--format", "csv", "--data", _data.Path);
        var kuttFromCsv = await LinkTrackerCommand.RunAsync("import", Export, "--tenant", "acme", "--format", "kutt", "--data", _data.Path);
        var noTenant = await LinkTrackerCommand.RunAsync("import", Export, "--tenant", "nobody", "--format", "csv", "--data", _data.Path);

        Assert.Equal((2, 2, 2), (noUrl.ExitCode, kuttFromCsv.ExitCode, noTenant.ExitCode));
        Assert.Contains("no 'url' column", noUrl.Error, StringComparison.Ordinal);
        Assert.Contains("not JSON", kuttFromCsv.Error, StringComparison.Ordinal);
        Assert.Contains("There is no tenant 'nobody'", noTenant.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data.Path, "tenants", "nobody.db")));
    }

    [Fact]
    public async Task On_postgres_it_imports_through_the_tenant_s_login_and_a_second_run_changes_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await File.WriteAllTextAsync(Export, ImportSamples.Csv);
        Assert.Equal(0, (await LinkTrackerCommand.RunAsync(database.OwnerEnvironment, "tenants", "add", "acme", "--data", _data.Path)).ExitCode);

        var first = await LinkTrackerCommand.RunAsync(database.OwnerEnvironment, "import", Export, "--tenant", "acme", "--format", "csv", "--json", "--data", _data.Path);
        var second = await LinkTrackerCommand.RunAsync(database.OwnerEnvironment, "import", Export, "--tenant", "acme", "--format", "csv", "--json", "--data", _data.Path);

        var (created, again) = (JsonNode.Parse(first.Output)!, JsonNode.Parse(second.Output)!);
        Assert.Equal((3, 6, 3), ((int)created["created"]!, created["rejected"]!.AsArray().Count, (int)created["history"]!));
        Assert.Equal((0, 3, 0), ((int)again["created"]!, (int)again["unchanged"]!, (int)again["history"]!));
        var links = new PostgresLinkStore(database.Runtime);
        Assert.Equal("https://shop.example.com/summer", (await links.FindAsync("acme", "summer", CancellationToken.None))!.Destination);
        var hours = await new PostgresStatsStore(database.Runtime).ReadHourlyAsync(
            "acme", StatsScope.Tenant, DateTimeOffset.Parse("2024-01-01T00:00:00Z"), DateTimeOffset.Parse("2025-01-01T00:00:00Z"), CancellationToken.None);
        Assert.Equal([12L, 30L], hours.Select(h => h.Clicks));
        Assert.Equal(DateTimeOffset.Parse("2024-03-01T10:00:00Z"), hours[0].Hour);

        // A tenant still below the migration that added the ledger (a rollout under way): refused before any link is written.
        var ledgerVersion = PostgresMigrator.Scripts("Tenant").ToList().FindIndex(s => s.EndsWith(".0007_imports.sql", StringComparison.Ordinal)) + 1;
        Assert.True(ledgerVersion > 0);
        await using (var behind = database.Owner.CreateCommand($"UPDATE t_acme.schema_version SET version = {ledgerVersion - 1}"))
        {
            await behind.ExecuteNonQueryAsync();
        }

        var withoutOwner = database.OwnerEnvironment;
        withoutOwner.Remove("LINKTRACKER__Storage__PostgresOwner");
        await File.WriteAllTextAsync(Export, "code,url\nlater,https://later.example.com/\n");
        var refused = await LinkTrackerCommand.RunAsync(withoutOwner, "import", Export, "--tenant", "acme", "--format", "csv", "--data", _data.Path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("linktracker migrate", refused.Error, StringComparison.Ordinal);
        Assert.Null(await links.FindAsync("acme", "later", CancellationToken.None));
    }
}
