using System.Net.Http.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;
using LinkTracker.Tenants;
using Microsoft.Data.Sqlite;
using static LinkTracker.IntegrationTests.Reports.ReportsTestKit;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>The server as a child process: a report job killed with kill -9 mid-way runs again after the restart and stores the same report.</summary>
public sealed class ReportDurabilityTests : IDisposable
{
    private static readonly DateOnly First = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-4);
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    /// <summary>The tenant and three UTC days of varied clicks, written before any server runs.</summary>
    private async Task<string> SeedAsync()
    {
        var databases = new SqliteDatabases(_data.Path);
        var admin = new TenantAdmin(new SqliteCatalogStore(databases), new SqliteTenantProvisioner(databases), new SqliteRecipientIndex(databases), TimeProvider.System);
        var key = (await admin.AddTenantAsync("acme", null, CancellationToken.None)).ApiKey;
        string?[] referrers = [null, "https://news.example.com/a", "https://mail.example.net/", "https://news.example.com/b?x=1", "=cmd|' /C calc'!A0"];
        var clicks = new List<Click>();
        for (var day = 0; day < 3; day++)
        {
            for (var i = 0; i < 300; i++)
            {
                var at = Local(First.AddDays(day), 0, 0, TimeZoneInfo.Utc).AddSeconds(i * 280 + day);
                clicks.Add(ClickAt("acme", $"c{i % 7}", at, i % 11 == 0 ? null : $"r{i % 60}", referrers[i % referrers.Length], i % 9 == 0 ? ClickFlags.Bot : ClickFlags.None));
            }
        }

        await new SqliteClickStore(databases).WriteAsync("acme", clicks, CancellationToken.None);
        return key;
    }

    private static async Task<List<string>> DownloadAsync(HttpClient api)
    {
        var files = new List<string>();
        for (var day = First; day <= First.AddDays(2); day = day.AddDays(1))
        {
            files.Add(await api.GetStringAsync($"/api/reports/{Iso(day)}?format=json"));
            files.Add(await api.GetStringAsync($"/api/reports/{Iso(day)}?format=csv"));
        }

        return files;
    }

    [Fact]
    public async Task A_report_job_killed_mid_way_runs_again_after_the_restart_and_stores_an_identical_report()
    {
        var key = await SeedAsync();
        string[] settings = ["Jobs:Workers=1", "Jobs:DailyAt=23:59:59", "Jobs:BaseDelay=00:00:00.2"];

        using (var first = await ServiceProcess.StartAsync(_data.Path, settings))
        {
            using var api = first.Client("acme", key);
            // A writer of the test holds the tenant database: the job counts (reads go on in WAL mode) and then waits to store.
            await using var blocker = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "tenants", "acme.db")};Pooling=False");
            await blocker.OpenAsync();
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            var accepted = await api.PostJsonAsync("/api/reports", new { from = Iso(First), to = Iso(First.AddDays(2)) });
            await WaitForLeasedReportJobAsync(first);
            await Task.Delay(500);
            var status = await (await api.GetAsync(accepted.Headers.Location)).ReadJsonAsync();

            first.Kill(); // SIGKILL while the job holds its lease and has stored nothing
            Assert.All(status["days"]!.AsArray(), d => Assert.Equal("pending", (string?)d!["state"]));
        }

        List<string> afterCrash;
        using (var restarted = await ServiceProcess.StartAsync(_data.Path, settings))
        using (var api = restarted.Client("acme", key))
        {
            await WaitUntilCompleteAsync(api, $"/api/reports/status?from={Iso(First)}&to={Iso(First.AddDays(2))}");
            afterCrash = await DownloadAsync(api);
            var outcomes = (await (await restarted.OpsClient().GetAsync("/ops/jobs")).ReadJsonAsync())["outcomes"]!.AsArray();
            Assert.Equal(3, (long)outcomes.Single(o => (string?)o!["type"] == "report")!["succeeded"]!);

            // The same days made again by an uninterrupted run: byte for byte the same files, and still one report per day.
            await RequestReportsAsync(api, First, First.AddDays(2));
            Assert.Equal(afterCrash, await DownloadAsync(api));
            Assert.Equal(3, (await api.GetFromJsonAsync<ReportListShape>("/api/reports"))!.Items.Count);
        }

        var json = System.Text.Json.Nodes.JsonNode.Parse(afterCrash[0])!;
        Assert.Equal((300L, 266L), ((long)json["totals"]!["clicks"]!, (long)json["totals"]!["humanClicks"]!));
        Assert.Contains("\r\n", afterCrash[1], StringComparison.Ordinal);
        Assert.NotEqual(afterCrash[0], afterCrash[2]);
    }

    private static async Task WaitForLeasedReportJobAsync(ServiceProcess service)
    {
        using var ops = service.OpsClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var pending = (await (await ops.GetAsync("/ops/jobs")).ReadJsonAsync())["pending"]!.AsArray();
            if (pending.Any(p => ((string?)p!["id"])!.StartsWith("report:acme:", StringComparison.Ordinal) && p["leasedUntil"] is not null))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no report job was leased in time");
            await Task.Delay(25);
        }
    }

    private sealed record ReportListShape(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Items);
}
