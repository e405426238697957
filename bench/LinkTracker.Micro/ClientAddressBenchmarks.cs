using System.Net;
using BenchmarkDotNet.Attributes;
using LinkTracker.Clicks.Enrichment;

namespace LinkTracker.Micro;

/// <summary>Keeping only the network part of the client address (IPv4 /24, IPv6 /48).</summary>
[MemoryDiagnoser]
public class ClientAddressBenchmarks
{
    private readonly IPAddress _v4 = IPAddress.Parse("203.0.113.77");
    private readonly IPAddress _v4Mapped = IPAddress.Parse("203.0.113.77").MapToIPv6();
    private readonly IPAddress _v6 = IPAddress.Parse("2001:db8:1234:5678:9abc:def0:1234:5678");

    [Benchmark(Baseline = true)]
    public string? IPv4() => ClientAddress.Truncate(_v4, 24, 48);

    [Benchmark]
    public string? IPv4MappedToIPv6() => ClientAddress.Truncate(_v4Mapped, 24, 48);

    [Benchmark]
    public string? IPv6() => ClientAddress.Truncate(_v6, 24, 48);
}
