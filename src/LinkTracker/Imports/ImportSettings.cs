namespace LinkTracker.Imports;

/// <summary>How to import: a dry run validates and reports without writing; a batch is created all or nothing (at most LinkService.MaxBatch).</summary>
public sealed record ImportSettings(bool DryRun = false, int BatchSize = 1000);
