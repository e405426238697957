using LinkTracker.Core.Jobs;

namespace LinkTracker.Jobs;

/// <summary>
/// The work of one job type, registered with <see cref="JobsExtensions.AddJobHandler{THandler}"/> under its type.
/// A job runs at least once (a crash or a lost lease runs it again), so a handler must be idempotent.
/// </summary>
public interface IJobHandler
{
    /// <summary>Returning acknowledges the job; throwing fails the attempt with the exception's message.</summary>
    Task RunAsync(JobLease job, CancellationToken cancellationToken);
}
