using LinkTracker.Analytics;
using LinkTracker.Clicks;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;
using LinkTracker.Links;
using LinkTracker.RabbitMq.Clicks;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Doctor;
using Microsoft.Extensions.Options;

namespace LinkTracker.Dashboard.Pages.Operator;

/// <summary>
/// Every tenant's traffic (last 24 hours from the rollups), backlog and lag, the writer's load and the dead letters:
/// the numbers of GET /ops/writer, /ops/jobs and /ops/clicks/dead, and the findings of GET /ops/doctor, from the same services.
/// </summary>
public sealed class IndexModel(
    ICatalogStore catalog, StatsService stats, IJobQueue jobs, ClickMetrics metrics, PendingClicks pending, ClickBacklog backlog,
    LinkCache cache, ILinkLookup lookup, IOptions<WriterOptions> writer, Doctor doctor, TimeProvider time, IServiceProvider services) : OperatorPageModel
{
    public sealed record TenantRow(string Slug, long Clicks, long HumanClicks, long Waiting, double LagSeconds);

    public WriterStatusResponse Writer { get; private set; } = null!;

    public double TransactionsPerSecond => Writer.RecentSeconds.Count == 0 ? 0 : (double)Writer.RecentSeconds.Sum(s => s.Transactions) / Writer.RecentSeconds.Count;

    public List<TenantRow> Tenants { get; } = [];

    public long DeadJobs { get; private set; }

    public long? DeadClicks { get; private set; }

    /// <summary>What `linktracker doctor` would say now: each problem with its evidence and runbook section.</summary>
    public DoctorReport Doctor { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Doctor = await doctor.ExamineAsync(cancellationToken);
        Writer = await OpsApi.GetWriterStatus(metrics, pending, backlog, cache, lookup, writer, services, cancellationToken);
        DeadJobs = (await jobs.CountAsync(cancellationToken)).Dead;
        if (services.GetService<ClickDeadLetters>() is { } deadLetters)
        {
            DeadClicks = (await deadLetters.ListAsync(1, cancellationToken)).Total;
        }

        var (day, _) = StatsRange.Parse(null, null, "hour", time.GetUtcNow());
        var last24 = day! with { From = day.To - TimeSpan.FromHours(24) };
        foreach (var tenant in await catalog.ListTenantsAsync(cancellationToken))
        {
            var series = await stats.GetAsync(tenant.Slug, StatsScope.Tenant, last24, cancellationToken);
            Tenants.Add(new TenantRow(tenant.Slug, series.Totals.Clicks, series.Totals.HumanClicks, series.Freshness.PendingClicks, series.Freshness.LagSeconds));
        }

        Tenants.Sort((a, b) => b.Clicks.CompareTo(a.Clicks));
    }
}
