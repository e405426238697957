namespace LinkTracker.Clicks.Journal;

/// <summary>
/// A journal record whole by its checksum that this build cannot decode, kept where it is (ADR 11).
/// <paramref name="Version"/> is the newer click format it is in, or null when its version is one this build knows
/// and the bytes are still not clicks.
/// </summary>
public sealed record ParkedJournalRecord(string Segment, long SegmentNumber, long Offset, int Length, int? Version);
