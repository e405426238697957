using BenchmarkDotNet.Attributes;
using LinkTracker.Core.Tenants;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Micro;

/// <summary>Host → tenant, the first step of every redirect (1,000 tenants in the snapshot).</summary>
[MemoryDiagnoser]
public class TenantResolutionBenchmarks : IDisposable
{
    private TenantDirectory _directory = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = new TenantDirectory(new FakeCatalog(1_000), Options.Create(new TenantOptions()), TimeProvider.System);
        await _directory.ReloadAsync(CancellationToken.None);
    }

    [Benchmark(Baseline = true)]
    public Tenant? KnownHostWithPort() => _directory.Resolve("tenant-500.localhost:5000");

    [Benchmark]
    public Tenant? KnownHostMixedCase() => _directory.Resolve("Tenant-500.LocalHost");

    [Benchmark]
    public Tenant? UnknownHost() => _directory.Resolve("nobody.localhost:5000");

    [Benchmark]
    public Tenant? BaseDomain() => _directory.Resolve("localhost:5000");

    public void Dispose()
    {
        _directory?.Dispose();
        GC.SuppressFinalize(this);
    }
}
