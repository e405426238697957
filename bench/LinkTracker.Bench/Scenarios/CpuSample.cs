namespace LinkTracker.Bench.Scenarios;

/// <summary>CPU used so far by each part of the distributed deployment (process trees) and by the bare 302 server.</summary>
public readonly record struct CpuSample(
    TimeSpan Edges, TimeSpan Api, TimeSpan Worker, TimeSpan Postgres, TimeSpan RabbitMq, TimeSpan Redis, TimeSpan Bare)
{
    public TimeSpan Services => Postgres + RabbitMq + Redis;

    public TimeSpan Total => Edges + Api + Worker + Services + Bare;

    /// <summary>Cores each part used between two samples <paramref name="seconds"/> apart, by figure name.</summary>
    public static IEnumerable<(string Name, double Cores)> Between(CpuSample before, CpuSample after, double seconds)
    {
        double Cores(TimeSpan a, TimeSpan b) => (a - b).TotalSeconds / seconds;
        yield return ("edge_cores", Cores(after.Edges, before.Edges));
        yield return ("api_cores", Cores(after.Api, before.Api));
        yield return ("worker_cores", Cores(after.Worker, before.Worker));
        yield return ("postgres_cores", Cores(after.Postgres, before.Postgres));
        yield return ("rabbitmq_cores", Cores(after.RabbitMq, before.RabbitMq));
        yield return ("redis_cores", Cores(after.Redis, before.Redis));
        yield return ("bare_cores", Cores(after.Bare, before.Bare));
    }
}
