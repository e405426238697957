using BenchmarkDotNet.Attributes;
using LinkTracker.Links;

namespace LinkTracker.Micro;

/// <summary>A scanner's random code against a tenant's filter of 1,000,000 existing codes: what replaced a store read.</summary>
[MemoryDiagnoser]
public class CodeFilterBenchmarks
{
    private readonly CodeBloomFilter _filter = new(1_000_000);

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < 1_000_000; i++)
        {
            _filter.Add("c" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Benchmark]
    public bool UnknownCode() => _filter.MayContain("uq7w2kd9z0");

    [Benchmark]
    public bool KnownCode() => _filter.MayContain("c1e240");
}
