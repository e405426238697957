using System.Diagnostics;
using System.Numerics;

namespace LinkTracker.Bench.Load;

/// <summary>
/// Log-linear latency histogram in microseconds (HdrHistogram's layout, 2 significant digits): exact below
/// 128 µs, then 64 buckets per power of two (at most 1.6 % error). Recording allocates nothing; one per worker, merged.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int PerPowerOfTwo = 64;
    private readonly long[] _counts = new long[Linear + (58 * PerPowerOfTwo)];

    public long Count { get; private set; }

    public long MaxMicroseconds { get; private set; }

    public void RecordTimestamps(long start, long end) => Record((long)((end - start) * 1_000_000.0 / Stopwatch.Frequency));

    public void Record(long microseconds)
    {
        microseconds = Math.Max(0, microseconds);
        _counts[Index(microseconds)]++;
        Count++;
        MaxMicroseconds = Math.Max(MaxMicroseconds, microseconds);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxMicroseconds = Math.Max(MaxMicroseconds, other.MaxMicroseconds);
    }

    /// <summary>The value at the percentile (0-100], in milliseconds: the highest value of its bucket, capped by the max.</summary>
    public double PercentileMs(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestOf(i), MaxMicroseconds) / 1000.0;
            }
        }

        return MaxMicroseconds / 1000.0;
    }

    public double MaxMs => MaxMicroseconds / 1000.0;

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - 6;
        return Linear + ((shift - 1) * PerPowerOfTwo) + (int)((value >> shift) - PerPowerOfTwo);
    }

    private static long HighestOf(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) / PerPowerOfTwo) + 1;
        var sub = ((index - Linear) % PerPowerOfTwo) + PerPowerOfTwo;
        return ((long)(sub + 1) << shift) - 1;
    }
}
