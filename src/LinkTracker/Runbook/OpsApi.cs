using LinkTracker.Clicks;
using LinkTracker.Links;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook;

/// <summary>Operator endpoints, served only on the base domain (never on a tenant's host).</summary>
public static class OpsApi
{
    public static IEndpointRouteBuilder MapOpsApi(this IEndpointRouteBuilder app)
    {
        var baseDomain = app.ServiceProvider.GetRequiredService<IOptions<TenantOptions>>().Value.BaseDomain;
        var ops = app.MapGroup("/ops").RequireHost(baseDomain, $"{baseDomain}:*", "127.0.0.1", "127.0.0.1:*").WithTags("Operations");
        ops.MapGet("/writer", GetWriterStatus).WithSummary("Journal depth, lag and the writer's per-second transactions");
        return app;
    }

    public static WriterStatusResponse GetWriterStatus(
        ClickMetrics metrics, PendingClicks pending, LinkCache cache, IOptions<WriterOptions> options) => new(
        pending.Total,
        metrics.LagSeconds,
        pending.Snapshot(),
        options.Value.MaxTransactionsPerSecond,
        options.Value.BatchSize,
        metrics.Captured,
        metrics.CaptureFailures,
        metrics.Transactions,
        metrics.RowsInserted,
        metrics.Duplicates,
        metrics.WriteFailures,
        cache.HitRatio,
        cache.StoreReads,
        metrics.RecentSeconds());
}
