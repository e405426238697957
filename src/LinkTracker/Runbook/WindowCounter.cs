namespace LinkTracker.Runbook;

/// <summary>A sum over the last <see cref="TenantActivity.Window"/>, kept in 10-second buckets (30 of them: 480 bytes).</summary>
internal sealed class WindowCounter
{
    private const int BucketSeconds = 10;
    private const int Buckets = 30;
    private readonly long[] _stamps = new long[Buckets];
    private readonly long[] _sums = new long[Buckets];
    private readonly Lock _gate = new();

    public static TimeSpan Window => TimeSpan.FromSeconds(BucketSeconds * Buckets);

    public void Add(DateTimeOffset at, long amount)
    {
        var bucket = at.ToUnixTimeSeconds() / BucketSeconds;
        var i = (int)(bucket % Buckets);
        lock (_gate)
        {
            if (_stamps[i] != bucket)
            {
                _stamps[i] = bucket;
                _sums[i] = 0;
            }

            _sums[i] += amount;
        }
    }

    public long Sum(DateTimeOffset now)
    {
        var newest = now.ToUnixTimeSeconds() / BucketSeconds;
        long sum = 0;
        lock (_gate)
        {
            for (var i = 0; i < Buckets; i++)
            {
                if (_stamps[i] > newest - Buckets && _stamps[i] <= newest)
                {
                    sum += _sums[i];
                }
            }
        }

        return sum;
    }
}
