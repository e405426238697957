using LinkTracker.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

/// <summary>
/// The instant before which every click of a tenant is stored, as far as this deployment can tell: now less the settle
/// delay, and no later than the oldest click still waiting in a journal, the broker or a writer's hands (ClickBacklog).
/// Click ids are minted at the edge, so a click is stored after others with higher ids; the cursor stays behind this
/// horizon and so never passes a click that is yet to be stored.
/// </summary>
public sealed class DeliveryHorizon(Func<string, CancellationToken, Task<DateTimeOffset?>> oldestWaiting, IOptions<ClickWebhooksOptions> options, TimeProvider time)
{
    public DeliveryHorizon(ClickBacklog backlog, IOptions<ClickWebhooksOptions> options, TimeProvider time)
        : this(async (tenant, ct) => (await backlog.ForTenantAsync(tenant, ct)).Oldest, options, time)
    {
    }

    public async Task<DateTimeOffset> ForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var settled = time.GetUtcNow() - options.Value.SettleDelay;
        return await oldestWaiting(tenant, cancellationToken) is { } oldest && oldest < settled ? oldest : settled;
    }
}
