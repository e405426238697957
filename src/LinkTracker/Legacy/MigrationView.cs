using LinkTracker.Core.Clicks;
using LinkTracker.Core.Legacy;
using Microsoft.Extensions.Options;

namespace LinkTracker.Legacy;

/// <summary>Builds a tenant's migration view from the one owner of each fact: the store for clicks and learned links, <see cref="LegacyTraffic"/> for the rest.</summary>
public sealed class MigrationView(ILegacyStore store, LegacyTraffic traffic, TimeProvider time, IOptions<LegacyOptions> options)
{
    public async Task<MigrationResponse> ForAsync(string tenant, string? baseUrl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dayAgo = now.AddDays(-1);
        var requests = await traffic.CountsAsync(tenant, [60, 24 * 60], cancellationToken); // one read for both windows
        return new MigrationResponse(
            tenant,
            baseUrl,
            await WindowAsync(tenant, now.AddHours(-1), now, requests[0], cancellationToken),
            await WindowAsync(tenant, dayAgo, now, requests[1], cancellationToken),
            await store.TopCodesAsync(tenant, dayAgo, now.AddMilliseconds(1), (int)ClickFlags.AnsweredByLegacy, options.Value.TopCodes, cancellationToken));
    }

    private async Task<MigrationWindow> WindowAsync(string tenant, DateTimeOffset from, DateTimeOffset to, LegacyRequestCounts requests, CancellationToken cancellationToken)
    {
        var counts = await store.CountAsync(tenant, from, to.AddMilliseconds(1), (int)ClickFlags.AnsweredByLegacy, cancellationToken);
        var failures = requests[LegacyOutcome.Failed] + requests[LegacyOutcome.TimedOut] + requests[LegacyOutcome.Refused];
        return new MigrationWindow(counts.AnsweredLocally, counts.AnsweredByLegacy, counts.Learned, requests[LegacyOutcome.Proxied], failures, requests.FleetWide);
    }
}
