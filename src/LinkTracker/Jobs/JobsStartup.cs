using LinkTracker.Core.Jobs;

namespace LinkTracker.Jobs;

/// <summary>Migrates the job queue at start and takes back the jobs a stopped process still held.</summary>
internal sealed class JobsStartup(IJobQueue queue) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => queue.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
