using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Contracts;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;
using LinkTracker.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>The segment journal on real files: the contract, plus restarts, torn tails, segment clean-up and the lock.</summary>
public sealed class SegmentClickJournalTests : ClickJournalContract, IDisposable
{
    private readonly TempFolder _data = new();
    private readonly List<SegmentClickJournal> _open = [];

    private string Folder => Path.Combine(_data.Path, "journal");

    public void Dispose()
    {
        _open.ForEach(j => j.Dispose());
        _data.Dispose();
    }

    protected override async Task<IClickJournal> CreateAsync() => await OpenAsync();

    private async Task<SegmentClickJournal> OpenAsync(long segmentBytes = SegmentClickJournal.SegmentBytes)
    {
        var journal = new SegmentClickJournal(Folder, syncEachAppend: true, NullLogger<SegmentClickJournal>.Instance, segmentBytes);
        _open.Add(journal);
        await journal.MigrateAsync(CancellationToken.None);
        return journal;
    }

    private void Close(SegmentClickJournal journal)
    {
        journal.Dispose();
        _open.Remove(journal);
    }

    private static Click NewClick(string tenant, int i) =>
        new(Guid.CreateVersion7(), tenant, "c" + (i % 7), $"r{i}", DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000 + i), "Mozilla/5.0", i % 2 == 0 ? null : "https://ref.example/", "203.0.113.0", ClickFlags.None);

    private string[] Segments() => [.. Directory.GetFiles(Folder, "*.seg").Select(Path.GetFileName).Order()!];

    private static async Task<List<Click>> ReadAllAsync(SegmentClickJournal journal, string tenant) =>
        [.. (await journal.ReadAsync(tenant, 1_000_000, CancellationToken.None)).Select(e => e.Click)];

    [Fact]
    public async Task After_a_restart_the_unacknowledged_clicks_are_there_with_every_field()
    {
        var journal = await OpenAsync();
        var clicks = Enumerable.Range(0, 50).Select(i => NewClick(i % 2 == 0 ? "a" : "b", i)).ToList();
        await journal.AppendAsync(clicks, CancellationToken.None);
        var a = await journal.ReadAsync("a", 10, CancellationToken.None);
        await journal.AcknowledgeAsync("a", a[^1].Sequence, CancellationToken.None);
        Close(journal);

        var reopened = await OpenAsync();

        // A clean stop writes the acknowledgements down: only what was not acknowledged comes back.
        Assert.Equal(clicks.Where(c => c.Tenant == "a").Skip(10), await ReadAllAsync(reopened, "a"));
        Assert.Equal(clicks.Where(c => c.Tenant == "b"), await ReadAllAsync(reopened, "b"));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 15, ["b"] = 25 }, reopened.CountPending());
    }

    [Fact]
    public async Task A_torn_append_at_the_end_is_cut_off_and_the_whole_records_before_it_survive()
    {
        var journal = await OpenAsync();
        var kept = Enumerable.Range(0, 20).Select(i => NewClick("a", i)).ToList();
        await journal.AppendAsync(kept, CancellationToken.None);
        await journal.AppendAsync([.. Enumerable.Range(20, 20).Select(i => NewClick("a", i))], CancellationToken.None);
        Close(journal);
        var segment = Path.Combine(Folder, Segments().Single());
        var whole = new FileInfo(segment).Length;
        using (var file = File.OpenWrite(segment))
        {
            file.SetLength(whole - 30); // the second append died half written
        }

        var reopened = await OpenAsync();
        await reopened.AppendAsync([NewClick("a", 99)], CancellationToken.None);

        var all = await ReadAllAsync(reopened, "a");
        Assert.Equal(kept, all[..20]);
        Assert.Equal([.. kept.Select(c => c.Recipient), "r99"], all.Select(c => c.Recipient));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_their_checksum_are_not_read_as_clicks()
    {
        var journal = await OpenAsync();
        await journal.AppendAsync([.. Enumerable.Range(0, 5).Select(i => NewClick("a", i))], CancellationToken.None);
        await journal.AppendAsync([.. Enumerable.Range(5, 5).Select(i => NewClick("a", i))], CancellationToken.None);
        Close(journal);
        var segment = Path.Combine(Folder, Segments().Single());
        var bytes = File.ReadAllBytes(segment);
        bytes[^5] ^= 0xFF; // a flipped bit in the last record
        File.WriteAllBytes(segment, bytes);

        var reopened = await OpenAsync();

        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], (await ReadAllAsync(reopened, "a")).Select(c => c.Recipient));
    }

    [Fact]
    public async Task A_segment_is_deleted_once_every_click_in_it_is_acknowledged()
    {
        var journal = await OpenAsync(segmentBytes: 4_096);
        for (var i = 0; i < 6; i++)
        {
            await journal.AppendAsync([.. Enumerable.Range(i * 30, 30).Select(n => NewClick(n % 3 == 0 ? "slow" : "fast", n))], CancellationToken.None);
        }

        var segmentsBefore = Segments();
        var fast = await journal.ReadAsync("fast", 1_000, CancellationToken.None);
        await journal.AcknowledgeAsync("fast", fast[^1].Sequence, CancellationToken.None);
        var whileSlowWaits = Segments();
        var slow = await journal.ReadAsync("slow", 1_000, CancellationToken.None);
        await journal.AcknowledgeAsync("slow", slow[^1].Sequence, CancellationToken.None);

        Assert.True(segmentsBefore.Length >= 3, $"expected several segments, found {segmentsBefore.Length}");
        Assert.Equal(segmentsBefore, whileSlowWaits); // every segment still holds a record of "slow"
        Assert.Equal([segmentsBefore[^1]], Segments()); // only the newest stays, for the next append
        Assert.Empty(journal.CountPending());

        Close(journal);
        Assert.Empty(Segments());
        Assert.Empty((await OpenAsync()).CountPending());
    }

    [Fact]
    public async Task A_second_process_on_the_same_folder_is_refused_with_the_setting_to_change()
    {
        await OpenAsync();

        var second = new SegmentClickJournal(Folder, syncEachAppend: true, NullLogger<SegmentClickJournal>.Instance);
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => second.MigrateAsync(CancellationToken.None));

        Assert.Contains("Storage:DataDirectory", refusal.Message);
    }

    [Fact]
    public async Task Clicks_left_in_an_old_sqlite_journal_are_moved_into_the_segments_and_the_file_is_deleted()
    {
        var databases = new SqliteDatabases(_data.Path);
        var legacy = new SqliteClickJournal(databases);
        await legacy.MigrateAsync(CancellationToken.None);
        var clicks = Enumerable.Range(0, 25).Select(i => NewClick(i < 20 ? "a" : "b", i)).ToList();
        await legacy.AppendAsync(clicks, CancellationToken.None);
        legacy.Dispose();
        var journal = await OpenAsync();

        var moved = await LegacyJournalImport.RunAsync(databases, journal, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(25, moved);
        Assert.False(File.Exists(databases.JournalPath));
        Assert.Equal(clicks[..20], await ReadAllAsync(journal, "a"));
        Assert.Equal(clicks[20..], await ReadAllAsync(journal, "b"));
        Assert.Equal(0, await LegacyJournalImport.RunAsync(databases, journal, NullLogger.Instance, CancellationToken.None));
    }
}
