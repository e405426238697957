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
    /// Indexes the records of a segment left by the last run, less those a clean stop wrote down as acknowledged;
    /// a torn or unreadable tail is cut off.
    /// </summary>
    private void Recover(JournalSegment segment, bool isLast, JournalAcknowledgements? acknowledged)
    {
        var bytes = File.ReadAllBytes(segment.Path);
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = JournalRecord.Frame(bytes.AsSpan(offset));
            Click[]? clicks = null;
            try
            {
                clicks = length is null ? null : JournalRecord.Decode(bytes.AsMemory(offset, length.Value));
            }
            catch (InvalidDataException)
            {
                // Counted below with the bytes that follow it.
            }

            if (clicks is null || clicks.Length == 0)
            {
                break;
            }

            var tenant = clicks[0].Tenant;
            var (whole, consumed) = acknowledged?.Of(tenant, segment.Number, offset) ?? (false, 0);
            if (!whole)
            {
                Index(tenant, new JournalRecord(_nextRecord++, segment, offset, length!.Value, clicks.Length, clicks.Min(c => c.At.ToUnixTimeMilliseconds())));
                if (consumed > 0)
                {
                    _tenants[tenant].ConsumeHead(consumed);
                }
            }
            else if (!_tenants.ContainsKey(tenant))
            {
                // Known with nothing waiting, so the next clean stop writes its position down again: the record stays
                // on disk while another tenant's in this segment waits, and must not come back after that restart.
                _tenants[tenant] = new JournalTenantRecords();
            }

            offset += length!.Value;
        }

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
}
