using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Redis answers (distributed deployment with Redis:Configuration; nothing to check otherwise).</summary>
public sealed class RedisCheck(IOptions<DoctorOptions> options, IConnectionMultiplexer? redis = null) : IDoctorCheck
{
    public string Name => "redis";

    public async Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return [];
        }

        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(options.Value.ProbeTimeout, cancellationToken);
            return [];
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return
            [
                new DoctorProblem(Name, DoctorSeverity.Action,
                    "Redis does not answer: redirects go on, but misses read the store and link changes reach other nodes late.",
                    $"{ex.GetType().Name}: {ex.Message}", RunbookSections.Dependencies),
            ];
        }
    }
}
