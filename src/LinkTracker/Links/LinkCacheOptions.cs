using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Links;

public sealed class LinkCacheOptions
{
    public const string Section = "LinkCache";

    /// <summary>Links kept in process memory (least recently used go first).</summary>
    [Range(100, 100_000_000)]
    public int Capacity { get; set; } = 200_000;

    /// <summary>Unknown codes remembered, so a scanner trying random codes cannot hammer the database.</summary>
    [Range(100, 100_000_000)]
    public int NegativeCapacity { get; set; } = 100_000;

    /// <summary>How long a known link is trusted without a reload; updates through the API invalidate at once.</summary>
    [Range(1, 86_400)]
    public int TtlSeconds { get; set; } = 600;

    /// <summary>How long an unknown code is answered 404 without a lookup; bounds how stale a miss can be.</summary>
    [Range(1, 3_600)]
    public int NegativeTtlSeconds { get; set; } = 30;

    /// <summary>How often (on nodes that read the store) each tenant's filter of existing codes is rebuilt; 0 turns the filter off.</summary>
    [Range(0, 86_400)]
    public int CodeFilterRefreshSeconds { get; set; } = 300;

    /// <summary>
    /// With a shared cache: while it cannot be reached (so changes may not reach this node), a cached link or miss is
    /// trusted at most this long after it was loaded; the bound on a stale redirect during a Redis outage (ADR 0021).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan StaleBoundWhenSharedCacheDown { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a change waits for every node to confirm it dropped its copy before the API answers anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan InvalidationConfirmationWait { get; set; } = TimeSpan.FromSeconds(2);
}
