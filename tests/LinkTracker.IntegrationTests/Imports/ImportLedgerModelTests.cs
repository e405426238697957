using CsCheck;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Imports;

/// <summary>
/// The import ledger moves clicks into the rollups, so it is checked against a model: whatever imports ran, in
/// whatever order, with codes repeated, counts changed, hours and campaigns moved, the rollups of every scope hold
/// exactly the clicks of each code's latest entry — none lost, none counted twice.
/// </summary>
public sealed class ImportLedgerModelTests
{
    private static readonly DateTimeOffset H0 = new(2023, 7, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Codes = ["a", "b", "c"];
    private static readonly string?[] Campaigns = [null, "x", "y"];

    private static readonly Gen<ImportedLink> Entry =
        Gen.Select(Gen.Int[0, Codes.Length - 1], Gen.Long[0, 50], Gen.Long[0, 50], Gen.Int[0, 2], Gen.Int[0, Campaigns.Length - 1], Gen.Bool)
            .Select((code, clicks, human, hour, campaign, titled) => new ImportedLink(
                Codes[code], "csv", titled ? "t" : null, null, clicks, Math.Min(human, clicks), H0.AddHours(hour), Campaigns[campaign]));

    /// <summary>A script: the entries of each import run (a batch may name a code twice).</summary>
    private static readonly Gen<ImportedLink[][]> Scripts = Entry.Array[1, 5].Array[1, 8];

    [Fact]
    public void On_sqlite_the_rollups_hold_each_code_s_latest_imported_clicks()
    {
        using var data = new TempFolder();
        var store = new SqliteLinkImportStore(new SqliteDatabases(data.Path));
        var stats = new SqliteStatsStore(new SqliteDatabases(data.Path));
        var runs = 0;
        Scripts.Sample(
            script => RunAsync(store, stats, $"m-{Interlocked.Increment(ref runs)}", script).GetAwaiter().GetResult(),
            iter: 100, threads: 1, print: Print);
    }

    [Fact]
    public async Task On_postgres_the_rollups_hold_each_code_s_latest_imported_clicks()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var store = new PostgresLinkImportStore(database.Runtime);
        var stats = new PostgresStatsStore(database.Runtime);
        var provisioner = new PostgresTenantProvisioner(database.Provisioning);
        var runs = 0;
        Scripts.Sample(
            script =>
            {
                var tenant = $"m-{Interlocked.Increment(ref runs)}";
                provisioner.ProvisionAsync(tenant, CancellationToken.None).GetAwaiter().GetResult();
                RunAsync(store, stats, tenant, script).GetAwaiter().GetResult();
            },
            iter: 15, threads: 1, print: Print);
    }

    private static async Task RunAsync(ILinkImportStore store, IStatsStore stats, string tenant, ImportedLink[][] script)
    {
        var model = new Dictionary<string, ImportedLink>(StringComparer.Ordinal);
        foreach (var run in script)
        {
            var expectedChanges = 0;
            var seen = new Dictionary<string, ImportedLink>(model, StringComparer.Ordinal);
            foreach (var entry in run)
            {
                expectedChanges += ImportLedger.Changes(seen.GetValueOrDefault(entry.Code), entry) ? 1 : 0;
                seen[entry.Code] = entry;
            }

            Assert.Equal(expectedChanges, await store.RecordAsync(tenant, run, H0, CancellationToken.None));
            model = seen;
        }

        foreach (var scope in Codes.Select(StatsScope.ForLink).Concat([StatsScope.Tenant, StatsScope.ForCampaign("x"), StatsScope.ForCampaign("y")]))
        {
            var hours = await stats.ReadHourlyAsync(tenant, scope, H0, H0.AddHours(3), CancellationToken.None);
            for (var h = 0; h < 3; h++)
            {
                var inModel = model.Values.Where(e => e.Hour == H0.AddHours(h) && InScope(e, scope)).ToList();
                var stored = hours.Where(r => r.Hour == H0.AddHours(h)).ToList();
                Assert.Equal((inModel.Sum(e => e.Clicks), inModel.Sum(e => e.HumanClicks), 0L),
                    (stored.Sum(r => r.Clicks), stored.Sum(r => r.HumanClicks), stored.Sum(r => r.NewRecipients)));
            }
        }

        foreach (var code in Codes)
        {
            Assert.Equal(model.GetValueOrDefault(code), await store.FindRecordAsync(tenant, code, CancellationToken.None));
        }
    }

    private static bool InScope(ImportedLink entry, StatsScope scope) => scope.Kind switch
    {
        StatsScopeKind.Link => entry.Code == scope.Name,
        StatsScopeKind.Campaign => entry.Campaign == scope.Name,
        _ => true,
    };

    private static string Print(ImportedLink[][] script) => string.Join(" | ", script.Select(run =>
        string.Join(", ", run.Select(e => $"{e.Code}:{e.Clicks}/{e.HumanClicks}@{(e.Hour - H0).TotalHours}h {e.Campaign ?? "-"}{(e.Title is null ? "" : " titled")}"))));
}
