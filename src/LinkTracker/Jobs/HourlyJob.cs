using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Jobs;

/// <summary>
/// A job a feature adds to every tenant's hourly pass of <see cref="HourlyJobScheduler"/>: work that depends on the
/// tenant's own clock (its local midnight), which a daily pass at one UTC time would make wait most of a day. The
/// request's id must name the tenant and the UTC hour (ADR 5) so that several passes add it once.
/// </summary>
/// <param name="For">The job of a tenant for the pass of the UTC hour that starts at the given instant.</param>
public sealed record HourlyJob(Func<Tenant, DateTimeOffset, JobRequest> For);
