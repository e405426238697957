namespace LinkTracker.Core.Common;

/// <summary>One page of a keyset-paged listing; <see cref="Next"/> is the store's cursor, null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
