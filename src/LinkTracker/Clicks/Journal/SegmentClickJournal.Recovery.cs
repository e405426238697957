using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Journal;

/// <summary>Start-up: the folder's lock and the records the last run left behind.</summary>
public sealed partial class SegmentClickJournal
{
    /// <summary>Opens the folder: takes its lock, reads the segments left by the last run and cuts a torn tail.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lock is not null)
            {
                return Task.CompletedTask;
            }

            Directory.CreateDirectory(folder);
            _lock = TakeLock(folder);
            var acknowledged = JournalAcknowledgements.Read(folder);
            foreach (var tenant in acknowledged?.Tenants.Keys ?? [])
            {
                // Known even when none of its records is left to index, so the next clean stop writes its position again.
                _tenants[tenant] = new JournalTenantRecords();
            }

            var files = Directory.EnumerateFiles(folder)
                .Select(path => (Path: path, Number: JournalSegment.NumberOf(path)))
                .Where(f => f.Number is not null)
                .OrderBy(f => f.Number)
                .ToList();
            for (var i = 0; i < files.Count; i++)
            {
                var segment = JournalSegment.Open(files[i].Path, files[i].Number!.Value);
                Recover(segment, isLast: i == files.Count - 1, acknowledged);
                _nextSegment = segment.Number + 1;
                if (segment.Waiting == 0)
                {
                    segment.Delete();
                }
                else
                {
                    _segments.Add(segment);
                }
            }

            // Never reuse a segment number the acknowledgements file may name.
            _nextSegment = Math.Max(_nextSegment, acknowledged?.NextSegment ?? 1);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Indexes the records of a segment left by the last run, less those a clean stop wrote down as acknowledged; a
    /// torn or damaged tail (a frame or checksum that does not check out) is cut off. A record that is whole by its
    /// checksum but that this build cannot decode (a newer click format) is parked: kept in the file, never delivered,
    /// and its segment is never deleted (ADR 11).
    /// </summary>
    private void Recover(JournalSegment segment, bool isLast, JournalAcknowledgements? acknowledged)
    {
        var bytes = File.ReadAllBytes(segment.Path);
        var offset = 0;
        var parked = new List<(int Offset, Exception Reason)>();
        while (offset < bytes.Length && JournalRecord.Frame(bytes.AsSpan(offset)) is { } length)
        {
            string tenant;
            Click[] clicks;
            try
            {
                (tenant, clicks) = ClickCodec.Decode(bytes.AsMemory(offset + JournalRecord.HeaderSize, length - JournalRecord.HeaderSize));
            }
            catch (Exception e) when (e is InvalidDataException or UnknownClickFormatException)
            {
                parked.Add((offset, e));
                Park(segment, offset, length, (e as UnknownClickFormatException)?.Version);
                offset += length;
                continue;
            }

            var (whole, consumed) = acknowledged?.Of(tenant, segment.Number, offset) ?? (false, 0);
            if (!whole && clicks.Length > 0)
            {
                Index(tenant, new JournalRecord(_nextRecord++, segment, offset, length, clicks.Length, clicks.Min(c => c.At.ToUnixTimeMilliseconds())));
                if (consumed > 0)
                {
                    _tenants[tenant].ConsumeHead(consumed);
                }
            }

            offset += length;
        }

        LogParked(segment, parked);
        if (offset < bytes.Length)
        {
            if (isLast)
            {
                LogTornTail(logger, bytes.Length - offset, segment.Path);
            }
            else
            {
                LogUnreadable(logger, bytes.Length - offset, segment.Path);
            }

            segment.Truncate(offset);
        }
    }

    /// <summary>Keeps a whole record this build cannot read: counted as waiting in its segment forever, so the file stays.</summary>
    private void Park(JournalSegment segment, long offset, int length, int? version)
    {
        segment.Waiting++;
        segment.Parked++;
        _parked.Add(new ParkedJournalRecord(segment.Path, segment.Number, offset, length, version));
    }

    private void LogParked(JournalSegment segment, List<(int Offset, Exception Reason)> parked)
    {
        var newer = parked.Where(p => p.Reason is UnknownClickFormatException).ToList();
        if (newer.Count > 0)
        {
            var versions = string.Join(", ", newer.Select(p => ((UnknownClickFormatException)p.Reason).Version).Distinct().Order());
            LogNewerFormat(logger, newer.Count, segment.Path, versions, ClickCodec.NewestReadableVersion);
        }

        foreach (var (offset, reason) in parked.Where(p => p.Reason is not UnknownClickFormatException))
        {
            LogUndecodable(logger, reason, offset, segment.Path);
        }
    }

    private static FileStream TakeLock(string folder)
    {
        var path = Path.Combine(folder, "journal.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"The click journal {folder} is in use by another linktracker process; give each process its own Storage:DataDirectory.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cut {Bytes} bytes of an append that did not finish off the end of {Segment}; their redirects were never answered in Durable capture")]
    private static partial void LogTornTail(ILogger logger, int bytes, string segment);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Bytes} bytes of journal segment {Segment} are unreadable and were cut off; the clicks in them are lost")]
    private static partial void LogUnreadable(ILogger logger, int bytes, string segment);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Records} records of journal segment {Segment} are in click format version {Versions}, written by a newer LinkTracker (this build reads up to version {Newest}). They are kept, not delivered, and the file is not deleted: start the newer build on this data folder to deliver them. To downgrade, let the newer build drain its journal first")]
    private static partial void LogNewerFormat(ILogger logger, int records, string segment, string versions, int newest);

    [LoggerMessage(Level = LogLevel.Error, Message = "The journal record at byte {Offset} of {Segment} matches its checksum but is not a click record this build can read; it is kept in the file (not delivered) and the file is not deleted")]
    private static partial void LogUndecodable(ILogger logger, Exception exception, int offset, string segment);
}
