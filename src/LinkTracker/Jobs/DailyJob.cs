using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Jobs;

/// <summary>
/// A job a feature adds to every tenant's daily pass of <see cref="JobScheduler"/>, besides retention. The request's id
/// must name the tenant and the UTC day (ADR 5) so that several passes add it once.
/// </summary>
/// <param name="For">The job of a tenant for the UTC day, given when the day's pass is due (the day plus Jobs:DailyAt).</param>
public sealed record DailyJob(Func<Tenant, DateOnly, DateTimeOffset, JobRequest> For);
