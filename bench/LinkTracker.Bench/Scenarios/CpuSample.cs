using LinkTracker.Bench.Infrastructure;

namespace LinkTracker.Bench.Scenarios;

/// <summary>CPU used so far by each part of the distributed deployment (process trees) and by the bare 302 server.</summary>
public readonly record struct CpuSample(TimeSpan Edges, TimeSpan ApiWorker, TimeSpan Services, TimeSpan Bare)
{
    public TimeSpan Total => Edges + ApiWorker + Services + Bare;

    public static CpuSample Read(Cluster cluster, ServerProcess? bare)
    {
        var (edges, apiWorker, services) = cluster.ReadCpu();
        return new CpuSample(edges, apiWorker, services, bare?.ReadCpuTime() ?? TimeSpan.Zero);
    }
}
