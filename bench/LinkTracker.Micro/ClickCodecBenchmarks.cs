using BenchmarkDotNet.Attributes;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Micro;

/// <summary>
/// Click encoding as the journal (one record per tenant per group commit) and the broker messages use it: a group of
/// 100 browser clicks with recipients, encoded into a reused buffer and decoded back. Divide by 100 for one click.
/// </summary>
[MemoryDiagnoser]
public class ClickCodecBenchmarks : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private Click[] _clicks = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var at = DateTimeOffset.UtcNow;
        _clicks = [.. Enumerable.Range(0, 100).Select(i => new Click(
            Guid.CreateVersion7(at), "acme", "Ab3xYz9", $"user{i}@example.com", at,
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
            "https://mail.example.com/", "203.0.113.0", ClickFlags.None))];
        _encoded = ClickCodec.Encode("acme", _clicks);
    }

    [Benchmark]
    public long Encode100()
    {
        _buffer.Position = 0;
        ClickCodec.Encode(_buffer, "acme", _clicks);
        return _buffer.Position;
    }

    public void Dispose()
    {
        _buffer.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int Decode100() => ClickCodec.Decode(_encoded).Clicks.Length;
}
