using LinkTracker.Clicks;
using LinkTracker.Links;
using LinkTracker.Runbook.Doctor;
using LinkTracker.Runbook.Slow;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook;

/// <summary>Operator endpoints, served only on the base domain (never on a tenant's host) to holders of the operator token.</summary>
public static class OpsApi
{
    public static IEndpointRouteBuilder MapOpsApi(this IEndpointRouteBuilder app)
    {
        var ops = app.MapOpsGroup("/ops").WithTags("Operations");
        ops.MapGet("/writer", GetWriterStatus).WithSummary("Journal depth, lag and the writer's per-second transactions");
        ops.MapSlowOperationsApi().MapDoctorApi();
        return app;
    }

    /// <summary>A group of operator endpoints: answered on the base domain and 127.0.0.1 only (404 on tenant hosts), with the operator token (401 without).</summary>
    public static RouteGroupBuilder MapOpsGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireHost(OperatorHosts(app)).RequireAuthorization(OpsAuthentication.Policy);

    /// <summary>The hosts operator endpoints answer on: the base domain and 127.0.0.1, any port.</summary>
    public static string[] OperatorHosts(IEndpointRouteBuilder app)
    {
        var baseDomain = app.ServiceProvider.GetRequiredService<IOptions<TenantOptions>>().Value.BaseDomain;
        return [baseDomain, $"{baseDomain}:*", "127.0.0.1", "127.0.0.1:*"];
    }

    public static async Task<WriterStatusResponse> GetWriterStatus(
        ClickMetrics metrics, PendingClicks pending, ClickBacklog backlog, LinkCache cache, ILinkLookup lookup, IOptions<WriterOptions> options,
        IServiceProvider services, CancellationToken cancellationToken) => new(
        pending.Total,
        metrics.LagSeconds,
        pending.Snapshot(),
        await backlog.ByTenantAsync(cancellationToken),
        options.Value.MaxTransactionsPerSecond,
        await BudgetAsync(services.GetService<IWriteBudget>(), metrics, options.Value.MaxTransactionsPerSecond, cancellationToken),
        options.Value.BatchSize,
        metrics.Captured,
        metrics.CaptureFailures,
        metrics.Transactions,
        metrics.RowsInserted,
        metrics.Duplicates,
        metrics.WriteFailures,
        metrics.Forwarded,
        metrics.ForwardFailures,
        cache.HitRatio,
        (lookup as StoreLinkLookup)?.StoreReads ?? cache.StoreReads, // an edge's misses go to the api nodes
        (lookup as StoreLinkLookup)?.Filtered ?? 0,
        cache.Count,
        cache.SharedHits,
        metrics.RecentSeconds());

    /// <summary>The shared budget's use by all writers, or this process's own seconds (no writer here: nothing used).</summary>
    private static async Task<WriteBudgetResponse> BudgetAsync(IWriteBudget? budget, ClickMetrics metrics, int perSecond, CancellationToken cancellationToken)
    {
        if (budget?.Scope == WriteBudgetScope.Database)
        {
            try
            {
                var use = await budget.ReadSharedUseAsync(cancellationToken);
                return new WriteBudgetResponse(perSecond, ScopeName(WriteBudgetScope.Database), use?.LastSecond, use?.CurrentSecond);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new WriteBudgetResponse(perSecond, ScopeName(WriteBudgetScope.Database), null, null);
            }
        }

        var seconds = metrics.RecentSeconds();
        return new WriteBudgetResponse(perSecond, ScopeName(WriteBudgetScope.Process), seconds[^2].Transactions, seconds[^1].Transactions);
    }

    /// <summary>"process" or "database", as /ops/writer names the budget's scope.</summary>
    public static string ScopeName(WriteBudgetScope scope) => scope == WriteBudgetScope.Database ? "database" : "process";
}
