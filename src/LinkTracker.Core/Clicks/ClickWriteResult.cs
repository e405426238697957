namespace LinkTracker.Core.Clicks;

/// <summary>What one write transaction did: duplicates are clicks whose id was already stored.</summary>
public readonly record struct ClickWriteResult(int Inserted, int Duplicates);
