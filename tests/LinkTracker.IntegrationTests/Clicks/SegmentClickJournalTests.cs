using System.Buffers.Binary;
using System.IO.Hashing;
using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Contracts;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Runbook;
using LinkTracker.Sqlite;
using LinkTracker.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// The segment journal on real files: the contract, plus restarts, torn tails, records in a newer click format,
/// segment clean-up and the lock.
/// </summary>
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

    /// <summary>A record as a newer build writes it: intact frame and checksum, click format version 4 (this build reads 1 to 3).</summary>
    private static byte[] NewerRecord(string tenant, IReadOnlyList<Click> clicks)
    {
        var payload = ClickCodec.Encode(tenant, clicks);
        payload[0] = 4;
        return Framed(payload);
    }

    /// <summary>A record whose checksum matches but whose payload is not clicks (version 1, then nonsense).</summary>
    private static byte[] UndecodableRecord() => Framed([1, 4, (byte)'a', (byte)'c', (byte)'m', (byte)'e', 2, 0xFF]);

    /// <summary>Frames a payload the way the journal does (magic "LTJ1", length, CRC-32), so its bytes are whole.</summary>
    private static byte[] Framed(byte[] payload)
    {
        var record = new byte[JournalRecord.HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x4C544A31);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32.HashToUInt32(payload));
        payload.CopyTo(record, JournalRecord.HeaderSize);
        return record;
    }

    private static byte[] Record(string tenant, IReadOnlyList<Click> clicks)
    {
        using var buffer = new MemoryStream();
        JournalRecord.Write(buffer, tenant, clicks);
        return buffer.ToArray();
    }

    private static void AppendBytes(string path, params byte[][] records)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        foreach (var record in records)
        {
            file.Write(record);
        }
    }

    /// <summary>A segment left by a run of a newer build: a record this build reads, one it cannot, then another it reads.</summary>
    private async Task<(string Segment, byte[] Bytes, List<Click> Before, List<Click> After)> LeaveSegmentWithAsync(byte[] unreadable)
    {
        var journal = await OpenAsync();
        var before = Enumerable.Range(0, 5).Select(i => NewClick("a", i)).ToList();
        await journal.AppendAsync(before, CancellationToken.None);
        Close(journal);
        var segment = Path.Combine(Folder, Segments().Single());
        var after = Enumerable.Range(10, 4).Select(i => NewClick("b", i)).ToList();
        AppendBytes(segment, unreadable, Record("b", after));
        return (segment, File.ReadAllBytes(segment), before, after);
    }

    [Fact]
    public async Task A_whole_record_in_a_newer_click_format_is_kept_and_the_records_around_it_are_delivered()
    {
        var (segment, bytes, before, after) = await LeaveSegmentWithAsync(NewerRecord("a", [NewClick("a", 5), NewClick("a", 6)]));

        var reopened = await OpenAsync();

        Assert.Equal(before, await ReadAllAsync(reopened, "a"));
        Assert.Equal(after, await ReadAllAsync(reopened, "b"));
        Assert.Equal(bytes, File.ReadAllBytes(segment)); // not cut, not rewritten
        var parked = Assert.Single(reopened.Parked);
        Assert.Equal((segment, 4), (parked.Segment, parked.Version));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5, ["b"] = 4 }, reopened.CountPending());
        var health = await new JournalHealthCheck(reopened).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains(Path.GetFileName(segment), health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_whole_by_its_checksum_that_is_not_clicks_is_kept_too_and_does_not_cut_the_records_after_it()
    {
        var (segment, bytes, before, after) = await LeaveSegmentWithAsync(UndecodableRecord());

        var reopened = await OpenAsync();

        Assert.Equal(before, await ReadAllAsync(reopened, "a"));
        Assert.Equal(after, await ReadAllAsync(reopened, "b"));
        Assert.Equal(bytes, File.ReadAllBytes(segment));
        Assert.Null(Assert.Single(reopened.Parked).Version);
    }

    [Fact]
    public async Task A_segment_holding_a_newer_record_is_never_deleted_however_far_the_journal_rolls_past_it()
    {
        var (segment, bytes, _, _) = await LeaveSegmentWithAsync(NewerRecord("a", [NewClick("a", 5)]));
        var journal = await OpenAsync(segmentBytes: 4_096);

        foreach (var tenant in new[] { "a", "b" })
        {
            var waiting = await journal.ReadAsync(tenant, 1_000, CancellationToken.None);
            await journal.AcknowledgeAsync(tenant, waiting[^1].Sequence, CancellationToken.None);
        }

        for (var i = 0; i < 6; i++)
        {
            await journal.AppendAsync([.. Enumerable.Range(i * 30, 30).Select(n => NewClick("a", n))], CancellationToken.None);
            var waiting = await journal.ReadAsync("a", 1_000, CancellationToken.None);
            await journal.AcknowledgeAsync("a", waiting[^1].Sequence, CancellationToken.None);
        }

        var whileRunning = Segments();
        Close(journal);
        var reopened = await OpenAsync(segmentBytes: 4_096);

        Assert.Contains(Path.GetFileName(segment), whileRunning);
        Assert.True(whileRunning.Length >= 2, "the journal never rolled to a new segment: the test proved nothing");
        Assert.Equal([Path.GetFileName(segment)], Segments()); // every other segment was emptied and deleted
        Assert.Equal(bytes, File.ReadAllBytes(segment));
        Assert.Single(reopened.Parked);
        Assert.Empty(await ReadAllAsync(reopened, "a")); // what this build acknowledged does not come back
    }

    [Fact]
    public async Task A_newer_build_opening_the_folder_after_this_one_delivers_the_kept_record()
    {
        var newer = new List<Click> { NewClick("a", 5), NewClick("a", 6) };
        var record = NewerRecord("a", newer);
        var (segment, _, _, _) = await LeaveSegmentWithAsync(record);
        var journal = await OpenAsync();
        foreach (var tenant in new[] { "a", "b" })
        {
            var waiting = await journal.ReadAsync(tenant, 1_000, CancellationToken.None);
            await journal.AcknowledgeAsync(tenant, waiting[^1].Sequence, CancellationToken.None);
        }

        await journal.AppendAsync([NewClick("a", 7)], CancellationToken.None);
        var last = await journal.ReadAsync("a", 1_000, CancellationToken.None);
        await journal.AcknowledgeAsync("a", last[^1].Sequence, CancellationToken.None);
        Close(journal); // a clean stop writes down where each tenant's acknowledged clicks end

        // The newer build reads version 4: here, the same record rewritten in a version this build reads.
        var bytes = File.ReadAllBytes(segment);
        var at = bytes.AsSpan().IndexOf(record);
        Record("a", newer).CopyTo(bytes, at);
        File.WriteAllBytes(segment, bytes);
        var upgraded = await OpenAsync();

        Assert.Equal(newer, await ReadAllAsync(upgraded, "a"));
        Assert.Empty(upgraded.Parked);
    }

    [Fact]
    public async Task A_torn_append_after_a_newer_record_is_still_cut_and_the_newer_record_stays()
    {
        var journal = await OpenAsync();
        await journal.AppendAsync([NewClick("a", 0)], CancellationToken.None);
        Close(journal);
        var segment = Path.Combine(Folder, Segments().Single());
        var newer = NewerRecord("a", [NewClick("a", 1)]);
        AppendBytes(segment, newer);
        var whole = File.ReadAllBytes(segment);
        AppendBytes(segment, Record("a", [NewClick("a", 2)])[..20]); // an append that died half written

        var reopened = await OpenAsync();

        Assert.Equal(whole, File.ReadAllBytes(segment));
        Assert.Equal(["r0"], (await ReadAllAsync(reopened, "a")).Select(c => c.Recipient));
        Assert.Single(reopened.Parked);
    }
}
