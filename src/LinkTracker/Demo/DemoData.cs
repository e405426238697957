using System.Security.Cryptography;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;
using LinkTracker.Dashboard;
using LinkTracker.Tenants;

namespace LinkTracker.Demo;

/// <summary>
/// `linktracker demo`: a tenant with 30 links and a month of realistic clicks, to look at the dashboard without waiting
/// for traffic. Links through the link store, clicks through the click store's own write (the writer's path: raw clicks,
/// rollups and first-seen recipients in one transaction, by id). The month is anchored on the first demo link's creation,
/// so a re-run (or a run after an interruption) regenerates the same clicks with the same ids and adds only what is missing.
/// </summary>
public sealed class DemoData(TenantAdmin admin, ILinkStore links, IClickStore clicks, DashboardUsers users, TimeProvider time)
{
    public const string Email = "demo@example.com";
    public static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private const int BatchSize = 1_000;

    /// <summary>Seeds <paramref name="tenant"/>; <paramref name="password"/> is the dashboard user's (null keeps an existing user's, or makes one for a new user).</summary>
    public async Task<DemoResult> SeedAsync(string tenant, string? password, CancellationToken cancellationToken)
    {
        string? apiKey = null;
        if (!(await admin.ListTenantsAsync(cancellationToken)).Any(t => t.Slug == tenant))
        {
            apiKey = (await admin.AddTenantAsync(tenant, "Demo", cancellationToken)).ApiKey;
        }

        var first = await links.FindAsync(tenant, DemoLinks.All[0].Code, cancellationToken);
        var now = time.GetUtcNow();
        var start = first?.CreatedAt ?? new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero) - Month;
        var (created, existing) = await AddLinksAsync(tenant, start, cancellationToken);

        var end = start + Month < now ? start + Month : now;
        var (written, duplicates) = await WriteClicksAsync(tenant, start, end, cancellationToken);

        if (password is null && await users.FindAsync(tenant, Email, cancellationToken) is null)
        {
            password = "demo-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
        }

        if (password is not null)
        {
            await users.AddAsync(tenant, Email, DashboardAuthentication.Editor, password, cancellationToken);
        }

        return new DemoResult(apiKey, Email, password, created, existing, written, duplicates, start, end);
    }

    private async Task<(int Created, int Existing)> AddLinksAsync(string tenant, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var missing = new List<Link>();
        foreach (var link in DemoLinks.All)
        {
            if (await links.ExistsAsync(tenant, link.Code, cancellationToken))
            {
                continue;
            }

            // The first link is created at the start exactly (the anchor of a re-run); the others shortly before their campaign.
            var createdAt = link.FirstDay == 0 ? start : start + TimeSpan.FromDays(link.FirstDay) - TimeSpan.FromHours(2);
            missing.Add(new Link(link.Code, link.Destination, link.Tags, link.Campaign, null, false, createdAt, createdAt));
        }

        if (missing.Count > 0 && await links.InsertAsync(tenant, missing, cancellationToken) is { Count: > 0 } taken)
        {
            throw new InvalidOperationException($"The demo links {string.Join(", ", taken)} were created meanwhile; run the demo again.");
        }

        return (missing.Count, DemoLinks.All.Count - missing.Count);
    }

    private async Task<(int Written, int Duplicates)> WriteClicksAsync(string tenant, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var (written, duplicates) = (0, 0);
        foreach (var batch in DemoTraffic.Generate(tenant, start, end).Chunk(BatchSize))
        {
            var result = await clicks.WriteAsync(tenant, batch, cancellationToken);
            written += result.Inserted;
            duplicates += result.Duplicates;
        }

        return (written, duplicates);
    }
}
