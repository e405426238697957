using System.Text;
using System.Text.Json;
using CsCheck;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Segments;
using LinkTracker.Core.Webhooks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;
using LinkTracker.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// A run's recipients stored in pages (ADR 29), on both engines, against a plain in-memory model (the set, sorted by
/// code point): random sizes across page boundaries, names whose UTF-16 and code point orders differ, random cursors
/// and limits; the "new since the last run" webhook pages against the set difference; and the migration that moves
/// stored runs into pages.
/// </summary>
public sealed class SegmentPagesModelTests : IAsyncLifetime
{
    private static readonly SegmentRunLimits Limits = new(TimeSpan.FromSeconds(30), 64);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    /// <summary>Pieces whose orders differ: U+E000 and U+FFFD sort below a surrogate pair in UTF-16, above it by code point.</summary>
    private static readonly Gen<string> AName = Gen.OneOf(
        Gen.Int[0, 5_000].Select(i => "r" + i),
        Gen.OneOf<string>("a", "b", "Z", "é", "\uE000", "\uFFFD", "😀", "𝄞", " ", "\"", ",", "\\").Array[1, 5].Select(p => string.Concat(p)));

    /// <summary>
    /// Exactly n names around a page's boundary (each made unique by a suffix), or up to a few pages of names that may
    /// repeat (the set keeps them once).
    /// </summary>
    private static readonly Gen<HashSet<string>> ASet = Gen.OneOf(
        Gen.OneOf(Gen.Int[0, 3], Gen.Int[998, 1_002], Gen.Int[1_999, 2_001])
            .SelectMany(n => AName.Array[n])
            .Select(names => names.Select((name, i) => name + "|" + i).ToHashSet(StringComparer.Ordinal)),
        Gen.Int[0, 2_600].SelectMany(n => AName.Array[n]).Select(names => names.ToHashSet(StringComparer.Ordinal)));

    /// <summary>A cursor: any name, a stored one, the first or the last of a stored page.</summary>
    private static readonly Gen<(int Kind, int Index, string Name)> ACursor = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 100_000], AName);

    private TempFolder _folder = null!;
    private PostgresTestDatabase _postgres = null!;
    private int _runs;

    public async Task InitializeAsync()
    {
        _folder = new TempFolder();
        _postgres = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(_postgres.Provisioning).ProvisionAsync("acme", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void Stored_recipients_come_back_in_order_after_any_cursor(string engine) =>
        Gen.Select(ASet, ACursor, Gen.Int[1, 2_500], Gen.Int[1, 1_000]).Sample(
            (set, cursor, limit, walk) => StoredAsync(engine, set, cursor, limit, walk).GetAwaiter().GetResult(),
            iter: 30, threads: 1, print: s => $"{s.Item1.Count} names, cursor {s.Item2}, limit {s.Item3}, walk {s.Item4}");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void A_runs_webhook_pages_hold_exactly_the_recipients_the_previous_run_had_not(string engine) =>
        Gen.Select(ASet, ASet, Gen.Int[1, 1_500], Gen.Bool).Sample(
            (before, after, pageSize, first) => WebhookAsync(engine, first ? null : before, after, pageSize).GetAwaiter().GetResult(),
            iter: 15, threads: 1, print: s => $"{s.Item1.Count} before ({(s.Item4 ? "no previous run" : "previous run")}), {s.Item2.Count} after, webhook pages of {s.Item3}");

    /// <summary>Names PostgreSQL's json_agg writes unescaped, whose UTF-16 and code point orders differ.</summary>
    private static readonly Gen<HashSet<string>> APlainSet = Gen.Int[0, 2_600].SelectMany(n =>
        Gen.OneOf(
            Gen.Int[0, 5_000].Select(i => "r" + i + "@example.com"),
            Gen.OneOf<string>("a", "b", "Z", "é", "\uE000", "\uFFFD", "😀", "𝄞", " ", ",", "'").Array[1, 5].Select(p => string.Concat(p)))
        .Array[n]).Select(names => names.ToHashSet(StringComparer.Ordinal));

    [Fact]
    public void Postgres_recipients_in_order_are_stored_as_slices_of_json_aggs_text() =>
        Gen.Select(APlainSet, Gen.Int[1, 1_000]).Sample(
            (set, walk) => SlicedAsync(set, walk).GetAwaiter().GetResult(),
            iter: 20, threads: 1, print: s => $"{s.Item1.Count} names, walk {s.Item2}");

    [Fact]
    public async Task Postgres_pages_are_compressed_with_lz4_where_the_server_has_it()
    {
        var (store, tenant) = Store("postgres");
        var names = Names(2_500).ToHashSet(StringComparer.Ordinal);
        await store.StoreRecipientsAsync(tenant, "run_lz4", Yielding("postgres", names), Limits, CancellationToken.None);
        await using var command = _postgres.Owner.CreateCommand("""
            SELECT (SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'),
                   array_agg(DISTINCT pg_column_compression(recipients))
            FROM t_acme.segment_pages WHERE run_id = 'run_lz4'
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        // Debian's PostgreSQL has lz4; pages of 1,000 names are over the 2 kB at which PostgreSQL compresses.
        Assert.Equal((true, "lz4"), (reader.GetBoolean(0), string.Join(",", reader.GetFieldValue<string[]>(1))));
        Assert.Equal(Sorted(names), await ReadAllAsync(store, tenant, "run_lz4", 1_000));
    }

    [Fact]
    public async Task Sqlite_migration_moves_stored_runs_into_pages()
    {
        var databases = new SqliteDatabases(_folder.Path);
        var (big, small) = (Names(2_345), new[] { "😀", "\uFFFD", "a" });
        await using (var connection = await databases.OpenTenantAsync("old", CancellationToken.None))
        {
            // The tenant as 0011 left it: runs' recipients one row each.
            await using var version = connection.CreateCommand();
            version.CommandText = "PRAGMA user_version";
            var current = (long)(await version.ExecuteScalarAsync())!;
            await using var command = connection.CreateCommand();
            command.CommandText = $$"""
                DROP TABLE segment_pages;
                CREATE TABLE segment_recipients (run_id TEXT NOT NULL, recipient TEXT NOT NULL, PRIMARY KEY (run_id, recipient)) WITHOUT ROWID;
                INSERT INTO segment_recipients SELECT 'run_big', value FROM json_each($big);
                INSERT INTO segment_recipients SELECT 'run_small', value FROM json_each($small);
                PRAGMA user_version = {{current - 1}};
                """;
            command.Parameters.AddWithValue("$big", JsonSerializer.Serialize(big));
            command.Parameters.AddWithValue("$small", JsonSerializer.Serialize(small));
            await command.ExecuteNonQueryAsync();
        }

        var store = new SqliteSegmentStore(new SqliteDatabases(_folder.Path)); // a new process: migrates on open

        Assert.Equal(Sorted(big), await ReadAllAsync(store, "old", "run_big", 1_000));
        Assert.Equal(["a", "\uFFFD", "😀"], await store.ListRecipientsAsync("old", "run_small", null, 10, CancellationToken.None));
        Assert.Equal(Sorted(big).Where(r => RecipientPages.Order.Compare(r, "r1500") > 0).Take(7),
            await store.ListRecipientsAsync("old", "run_big", "r1500", 7, CancellationToken.None));
    }

    [Fact]
    public async Task Postgres_migration_moves_stored_runs_into_pages()
    {
        var (big, small) = (Names(2_345), new[] { "😀", "\uFFFD", "a" });
        await ExecuteAsync("""
            DROP TABLE t_acme.segment_pages;
            CREATE TABLE t_acme.segment_recipients (run_id text NOT NULL, recipient text COLLATE "C" NOT NULL, PRIMARY KEY (run_id, recipient));
            UPDATE t_acme.schema_version SET version = version - 1;
            """);
        await ExecuteAsync("INSERT INTO t_acme.segment_recipients SELECT 'run_big', unnest($1::text[])", big);
        await ExecuteAsync("INSERT INTO t_acme.segment_recipients SELECT 'run_small', unnest($1::text[])", small);

        await new PostgresTenantProvisioner(_postgres.Provisioning).ProvisionAsync("acme", CancellationToken.None); // linktracker migrate
        var store = new PostgresSegmentStore(_postgres.Runtime);

        Assert.Equal(Sorted(big), await ReadAllAsync(store, "acme", "run_big", 1_000));
        Assert.Equal(["a", "\uFFFD", "😀"], await store.ListRecipientsAsync("acme", "run_small", null, 10, CancellationToken.None));
    }

    private async Task StoredAsync(string engine, HashSet<string> set, (int Kind, int Index, string Name) pick, int limit, int walk)
    {
        var (store, tenant) = Store(engine);
        var run = $"run_{Interlocked.Increment(ref _runs)}";
        var model = Sorted(set);
        var pages = (model.Count + RecipientPages.Size - 1) / RecipientPages.Size;
        var cursor = (pick.Kind, model.Count) switch
        {
            (_, 0) or (0, _) => pick.Name,
            (1, _) => model[pick.Index % model.Count],
            (2, _) => model[pick.Index % pages * RecipientPages.Size],
            _ => model[Math.Min(model.Count, ((pick.Index % pages) + 1) * RecipientPages.Size) - 1],
        };

        Assert.Equal(set.Count, await store.StoreRecipientsAsync(tenant, run, Yielding(engine, set), Limits, CancellationToken.None));
        Assert.Equal(model.Where(r => RecipientPages.Order.Compare(r, cursor) > 0).Take(limit),
            await store.ListRecipientsAsync(tenant, run, cursor, limit, CancellationToken.None));
        Assert.Equal(model, await ReadAllAsync(store, tenant, run, walk));
    }

    /// <summary>
    /// The names in code point order, as a run over the recipient index yields them: each page is then a slice of
    /// json_agg's text, which keeps its ", " between names (pages cut from parsed names have "," alone).
    /// </summary>
    private async Task SlicedAsync(HashSet<string> set, int walk)
    {
        var (store, tenant) = Store("postgres");
        var run = $"run_{Interlocked.Increment(ref _runs)}";
        var model = Sorted(set);
        var inOrder = new SegmentQuery(
            "SELECT recipient FROM unnest(@p0::text[]) WITH ORDINALITY AS n (recipient, i) ORDER BY i",
            new Dictionary<string, object> { ["@p0"] = model.ToArray() }, [], "test");

        Assert.Equal(set.Count, await store.StoreRecipientsAsync(tenant, run, inOrder, Limits, CancellationToken.None));
        Assert.Equal(model, await ReadAllAsync(store, tenant, run, walk));
        await using var command = _postgres.Owner.CreateCommand(
            "SELECT first_recipient, size, recipients FROM t_acme.segment_pages WHERE run_id = $1 ORDER BY first_recipient");
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        var pages = new List<(string First, int Size, string Text)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                pages.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2)));
            }
        }

        var chunks = model.Chunk(RecipientPages.Size).ToList();
        Assert.Equal(chunks.Select(c => (c[0], c.Length)), pages.Select(p => (p.First, p.Size)));
        Assert.All(pages.Where(p => p.Size > 1), p => Assert.Contains("\", \"", p.Text, StringComparison.Ordinal));
    }

    private async Task WebhookAsync(string engine, HashSet<string>? before, HashSet<string> after, int pageSize)
    {
        var (store, tenant) = Store(engine);
        var segment = new Segment($"seg_{Interlocked.Increment(ref _runs):x16}", "s", "{}", Now, Now);
        await store.AddAsync(tenant, segment, CancellationToken.None);
        if (before is not null)
        {
            await RunAsync(store, tenant, segment.Id, Yielding(engine, before), finish: true);
        }

        // Not completed: the webhook pages are enqueued before a run completes (the previous run's pages still stored).
        var current = await RunAsync(store, tenant, segment.Id, Yielding(engine, after), finish: false);
        var queue = new CapturingQueue();
        var webhooks = new SegmentWebhooks(new OneWebhook(), store, queue, Options.Create(new SegmentDeliveriesOptions { PageSize = pageSize }));

        var count = await webhooks.EnqueueNewRecipientsAsync(tenant, segment.Id, current, Now, CancellationToken.None);

        var expected = Sorted(before is null ? after : after.Except(before, StringComparer.Ordinal));
        var pages = queue.Jobs.Select(j => JsonSerializer.Deserialize<SegmentWebhookPayload>(j.Payload, ClickWebhookJobHandler.Json)!).ToList();
        Assert.Equal(expected.Count, count);
        Assert.Equal(expected, pages.SelectMany(p => p.Recipients));
        Assert.Equal(Enumerable.Range(0, pages.Count), pages.Select(p => p.Page));
        Assert.Equal(Math.Max(1, (expected.Count + pageSize - 1) / pageSize), pages.Count);
        Assert.All(pages, p => Assert.Equal(p.Page == pages.Count - 1, p.LastPage));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(pageSize, p.Recipients.Count));
    }

    /// <summary>
    /// A run of the segment through the store's own steps: completed when <paramref name="finish"/>, else ended failed
    /// (keeping its pages), so the tenant's next run may start.
    /// </summary>
    private static async Task<string> RunAsync(ISegmentStore store, string tenant, string segmentId, SegmentQuery query, bool finish)
    {
        await store.QueueRunAsync(tenant, new SegmentRun($"run_{Guid.NewGuid():N}"[..20], segmentId, "{}", SegmentRunState.Queued, Now), 10, CancellationToken.None);
        var run = (await store.StartNextRunAsync(tenant, Now, Now.AddMinutes(5), CancellationToken.None))!;
        var stored = await store.StoreRecipientsAsync(tenant, run.Id, query, Limits, CancellationToken.None);
        await store.FinishRunAsync(tenant, finish
            ? run with { State = SegmentRunState.Completed, FinishedAt = Now, AsOf = Now, Recipients = stored }
            : run with { State = SegmentRunState.Failed, FinishedAt = Now, Error = "not finished in this test" }, CancellationToken.None);
        return run.Id;
    }

    private (ISegmentStore Store, string Tenant) Store(string engine) => engine == "sqlite"
        ? (new SqliteSegmentStore(new SqliteDatabases(_folder.Path)), "acme")
        : (new PostgresSegmentStore(_postgres.Runtime), "acme");

    /// <summary>A query no filter compiles to: it yields the given names, in no particular order.</summary>
    private static SegmentQuery Yielding(string engine, IEnumerable<string> names)
    {
        var shuffled = names.OrderBy(_ => Random.Shared.Next()).ToArray();
        return engine == "sqlite"
            ? new SegmentQuery("SELECT value AS recipient FROM json_each(@p0)", new Dictionary<string, object> { ["@p0"] = JsonSerializer.Serialize(shuffled) }, [], "test")
            : new SegmentQuery("SELECT unnest(@p0::text[]) AS recipient", new Dictionary<string, object> { ["@p0"] = shuffled }, [], "test");
    }

    private static async Task<List<string>> ReadAllAsync(ISegmentStore store, string tenant, string run, int limit)
    {
        var all = new List<string>();
        while (true)
        {
            var page = await store.ListRecipientsAsync(tenant, run, all.Count == 0 ? null : all[^1], limit, CancellationToken.None);
            all.AddRange(page);
            if (page.Count < limit)
            {
                return all;
            }
        }
    }

    private static List<string> Sorted(IEnumerable<string> names) => [.. names.Order(Utf8Bytes)];

    /// <summary>The model's order, from its definition: the names' UTF-8 bytes compared.</summary>
    private static readonly Comparer<string> Utf8Bytes = Comparer<string>.Create((x, y) =>
        ((ReadOnlySpan<byte>)Encoding.UTF8.GetBytes(x)).SequenceCompareTo(Encoding.UTF8.GetBytes(y)));

    private static string[] Names(int count) => [.. Enumerable.Range(0, count).Select(i => "r" + i)];

    private async Task ExecuteAsync(string sql, string[]? names = null)
    {
        await using var command = _postgres.Owner.CreateCommand(sql);
        if (names is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = names });
        }

        await command.ExecuteNonQueryAsync();
    }

    private sealed class OneWebhook : ISegmentDeliveryStore
    {
        public Task<SegmentDelivery?> GetAsync(string tenant, string segmentId, CancellationToken cancellationToken) =>
            Task.FromResult<SegmentDelivery?>(new SegmentDelivery(segmentId, null, "https://hooks.example.com/", "secret", Now));

        public Task SaveAsync(string tenant, SegmentDelivery delivery, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<SegmentDelivery>> ListScheduledAsync(string tenant, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class CapturingQueue : IJobQueue
    {
        public List<JobRequest> Jobs { get; } = [];

        public Task<IReadOnlyList<JobEnqueued>> EnqueueManyAsync(IReadOnlyList<JobRequest> jobs, TimeSpan? delay, CancellationToken cancellationToken)
        {
            Jobs.AddRange(jobs);
            return Task.FromResult<IReadOnlyList<JobEnqueued>>([]);
        }

        public Task MigrateAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobEnqueued> EnqueueAsync(JobRequest job, TimeSpan? delay, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobLease?> ReceiveAsync(TimeSpan lease, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> AckAsync(JobLease lease, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobFailOutcome> FailAsync(JobLease lease, string error, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan extension, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<PendingJob>> ListPendingAsync(int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DeadJob>> ListDeadAsync(int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DeadJob?> GetDeadAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> RedriveAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> RedriveAllAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> PurgeDeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<JobQueueCounts> CountAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
