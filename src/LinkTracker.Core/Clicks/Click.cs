namespace LinkTracker.Core.Clicks;

/// <summary>
/// One redirect as recorded. <see cref="Id"/> is a UUIDv7 minted at the edge from <see cref="At"/> (same millisecond):
/// writes are idempotent by id, and stores may find clicks by time through the id (retention, partitions).
/// </summary>
/// <remarks>
/// The positional fields are the raw facts the edge captures (the full client address until the writer's enrichment
/// stage truncates it, ADR 19); the init-only ones are what the stage adds (ADR 17) and are never in the click format.
/// <see cref="Campaign"/> is set only for a signed link's click, whose campaign is in its token, not in a link row
/// (ADR 26); it travels in the click format from version 2 on. A stored link's campaign is found by its code.
/// </remarks>
public sealed record Click(
    Guid Id,
    string Tenant,
    string Code,
    string? Recipient,
    DateTimeOffset At,
    string? UserAgent,
    string? Referrer,
    string? ClientAddress,
    ClickFlags Flags,
    string? Campaign = null)
{
    public bool IsHuman => (Flags & ClickFlags.NonHuman) == 0;

    /// <summary>Why the click is not a person's ("head", "prefetch", "crawler", "no-user-agent", "mail-scanner"); null for a person.</summary>
    public string? Reason { get; init; }

    /// <summary>"mobile", "tablet", "desktop", "bot" or "other".</summary>
    public string? Device { get; init; }

    public string? Browser { get; init; }

    public string? Os { get; init; }

    /// <summary>ISO 3166 two-letter code, from the operator's geo database.</summary>
    public string? Country { get; init; }

    public string? City { get; init; }
}
