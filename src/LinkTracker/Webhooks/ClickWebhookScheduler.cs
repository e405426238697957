using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;
using LinkTracker.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

/// <summary>
/// Every <see cref="ClickWebhooksOptions.Interval"/>, enqueues a <see cref="ClickWebhookJob"/> for each tenant with a
/// click webhook; which tenants have one is looked up again every <see cref="ClickWebhooksOptions.DiscoveryInterval"/>.
/// The job's id per tenant keeps several schedulers (worker nodes) from adding it twice.
/// </summary>
public sealed partial class ClickWebhookScheduler(
    IJobQueue queue,
    ICatalogStore catalog,
    IClickWebhookStore store,
    IOptions<ClickWebhooksOptions> options,
    TimeProvider time,
    ILogger<ClickWebhookScheduler> logger) : BackgroundService
{
    private string[] _tenants = [];
    private DateTimeOffset _discoveredAt = DateTimeOffset.MinValue;

    /// <summary>One tick: refreshes the tenants with a webhook when due, and enqueues their jobs.</summary>
    /// <returns>How many jobs were added (those already waiting, running or dead are not).</returns>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _discoveredAt >= options.Value.DiscoveryInterval)
        {
            _tenants = await DiscoverAsync(cancellationToken);
            _discoveredAt = time.GetUtcNow();
        }

        if (_tenants.Length == 0)
        {
            return 0;
        }

        return (await queue.EnqueueManyAsync([.. _tenants.Select(ClickWebhookJob.For)], null, cancellationToken)).Count(e => e.Added);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await TickAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogTickFailed(logger, ex); // the queue or catalog is down: the next tick tries again
                }

                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<string[]> DiscoverAsync(CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var tenant in await catalog.ListTenantsAsync(cancellationToken))
        {
            try
            {
                if (await store.GetAsync(tenant.Slug, cancellationToken) is not null)
                {
                    found.Add(tenant.Slug);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTenantSkipped(logger, ex, tenant.Slug); // one tenant's broken database must not stop the others' deliveries
            }
        }

        return [.. found];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling click webhook deliveries failed; trying again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Tenant}: could not read its click webhook; its deliveries wait for the next look")]
    private static partial void LogTenantSkipped(ILogger logger, Exception exception, string tenant);
}
