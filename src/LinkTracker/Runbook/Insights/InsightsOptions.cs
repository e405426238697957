using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Runbook.Insights;

/// <summary>From when a tenant's habit is worth telling it about; judged over the last five minutes.</summary>
public sealed class InsightsOptions
{
    public const string Section = "Insights";

    /// <summary>Stats queries per minute from which we call it polling.</summary>
    [Range(0.1, 10_000)]
    public double StatsQueriesPerMinute { get; set; } = 20;

    /// <summary>Links created one per call, in the window, from which we suggest the batch endpoint.</summary>
    [Range(1, long.MaxValue)]
    public long LinksOneByOne { get; set; } = 100;

    /// <summary>Redirects to unknown codes, in the window, from which we tell the tenant.</summary>
    [Range(1, long.MaxValue)]
    public long UnknownCodes { get; set; } = 500;
}
