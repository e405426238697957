namespace LinkTracker.Core.Clicks;

/// <summary>A click in the journal with its position; acknowledging a position removes it and all before it for that tenant.</summary>
public sealed record JournalEntry(long Sequence, Click Click);
