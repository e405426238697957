using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// A run through the recipient index reads two halves of the recipients on two connections at once (ADR 31), and both
/// halves see one snapshot: clicks stored while the second connection opens are in neither half, so the run's recipients
/// are those of one moment. The store's model test (SegmentSqlModelTests) checks the halves' recipients against the model.
/// </summary>
public sealed class RecipientHalvesTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static readonly SegmentQuery Query = SegmentSql.Compile(new ClicksFilter(3, new ClickConditions(Within: TimeSpan.FromDays(30))), SegmentDialect.Sqlite, AsOf);

    private static readonly SegmentRunLimits Limits = new(TimeSpan.FromSeconds(30), 64, RecipientIndexReaders: 2);

    [Fact]
    public async Task Sqlite_halves_read_one_snapshot_while_clicks_are_stored()
    {
        using var folder = new TempFolder();
        var databases = new SqliteDatabases(folder.Path);
        var clicks = new SqliteClickStore(databases);
        await clicks.WriteAsync("acme", Clicks(), CancellationToken.None);
        await new SqliteRecipientIndex(databases).BuildAsync("acme", CancellationToken.None);
        var opened = 0;

        await using var connection = await databases.OpenTenantAsync("acme", CancellationToken.None);
        var recipients = await SqliteSegmentQueries.ReadRecipientsAsync(
            connection,
            async token =>
            {
                opened++;
                await clicks.WriteAsync("acme", Late(), token); // committed before the second half's connection opens
                return await databases.OpenTenantAsync("acme", token);
            },
            Query,
            Limits,
            CancellationToken.None);

        Assert.Equal(1, opened); // the run did read in two halves
        Assert.Equal(Expected, recipients.Order(StringComparer.Ordinal));
        // Without the halves' shared snapshot, the late recipients would be in: they are, in the next run.
        await using var next = await databases.OpenTenantAsync("acme", CancellationToken.None);
        var again = await SqliteSegmentQueries.ReadRecipientsAsync(next, token => databases.OpenTenantAsync("acme", token), Query, Limits, CancellationToken.None);
        Assert.Equal(["aa-late", .. Expected, "zz-late"], again.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Postgres_halves_read_the_run_s_snapshot_while_clicks_are_stored()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(database.Provisioning).ProvisionAsync("acme", CancellationToken.None);
        var clicks = new PostgresClickStore(database.Runtime);
        await clicks.WriteAsync("acme", Clicks(), CancellationToken.None);
        await new PostgresRecipientIndex(database.Provisioning).BuildAsync("acme", CancellationToken.None);
        var query = SegmentSql.Compile(new ClicksFilter(3, new ClickConditions(Within: TimeSpan.FromDays(30))), SegmentDialect.Postgres, AsOf);
        var opened = 0;

        await using (var run = await database.Runtime.BeginTenantAsync("acme", CancellationToken.None))
        {
            var stored = await PostgresSegmentQueries.StoreRecipientsAsync(
                run,
                async token =>
                {
                    if (Interlocked.Increment(ref opened) == 1)
                    {
                        await clicks.WriteAsync("acme", Late(), token); // committed before either half's transaction begins
                    }

                    return await database.Runtime.BeginTenantAsync("acme", token);
                },
                "run",
                query,
                Limits,
                CancellationToken.None);
            Assert.Equal(Expected.Count, stored);
            await run.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(2, opened); // a reader for each half
        var store = new PostgresSegmentStore(database.Runtime);
        Assert.Equal(Expected, await store.ListRecipientsAsync("acme", "run", null, 1000, CancellationToken.None));
    }

    /// <summary>r00 … r39 with three clicks each in the last days (all "at least 3"), r40 … r59 with one.</summary>
    private static List<Click> Clicks() => [.. Enumerable.Range(0, 140).Select(i => i < 120
        ? Click($"r{i / 3:D2}", AsOf.AddMinutes(-10 - i))
        : Click($"r{40 + i - 120:D2}", AsOf.AddMinutes(-10 - i)))];

    private static IReadOnlyList<string> Expected => [.. Enumerable.Range(0, 40).Select(i => $"r{i:D2}")];

    /// <summary>Three clicks each for a recipient below every split and one above: whichever half reads them.</summary>
    private static List<Click> Late() => [.. Enumerable.Range(0, 3).SelectMany(i => (Click[])[
        Click("aa-late", AsOf.AddMinutes(-5 + i)), Click("zz-late", AsOf.AddMinutes(-5 + i))])];

    private static Click Click(string recipient, DateTimeOffset at) => new(Guid.CreateVersion7(at), "acme", "a", recipient, at, "test", null, null, ClickFlags.None);
}
