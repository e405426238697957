namespace LinkTracker.Core.Clicks;

/// <summary>
/// One redirect as recorded. <see cref="Id"/> is a UUIDv7 minted at the edge from <see cref="At"/> (same millisecond):
/// writes are idempotent by id, and stores may find clicks by time through the id (retention, partitions).
/// </summary>
public sealed record Click(
    Guid Id,
    string Tenant,
    string Code,
    string? Recipient,
    DateTimeOffset At,
    string? UserAgent,
    string? Referrer,
    string? ClientAddress,
    ClickFlags Flags)
{
    public bool IsHuman => (Flags & ClickFlags.NonHuman) == 0;
}
