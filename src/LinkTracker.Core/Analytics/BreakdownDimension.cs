namespace LinkTracker.Core.Analytics;

/// <summary>What a breakdown groups clicks by; each has its own rollup rows (rollup_breakdown.dimension).</summary>
public enum BreakdownDimension
{
    Country,
    Device,
    Browser,
    Os,
    Referrer,
    Reason,
}
