using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace LinkTracker.Links;

/// <summary>
/// A Bloom filter of link codes: a code it was given is always reported present; a code it was not given is
/// reported present about 1 time in 100 while it holds no more than its capacity. Adds and reads are thread-safe.
/// </summary>
public sealed class CodeBloomFilter
{
    private const int BitsPerCode = 10;
    private const int Hashes = 7;
    private readonly long[] _words;
    private readonly uint _bits;
    private int _count;

    public CodeBloomFilter(int capacity)
    {
        Capacity = Math.Max(capacity, 1_024);
        _words = new long[((long)Capacity * BitsPerCode + 63) / 64];
        _bits = (uint)(_words.Length * 64L);
    }

    public int Capacity { get; }

    public int Count => Volatile.Read(ref _count);

    public void Add(string code)
    {
        var (h1, h2) = Hash(code);
        for (uint i = 0; i < Hashes; i++)
        {
            var bit = (h1 + (i * h2)) % _bits;
            Interlocked.Or(ref _words[bit >> 6], 1L << (int)(bit & 63));
        }

        Interlocked.Increment(ref _count);
    }

    public bool MayContain(string code)
    {
        var (h1, h2) = Hash(code);
        for (uint i = 0; i < Hashes; i++)
        {
            var bit = (h1 + (i * h2)) % _bits;
            if ((Volatile.Read(ref _words[bit >> 6]) & (1L << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    // Two 32-bit halves of one 64-bit hash make the seven positions (Kirsch–Mitzenmacher double hashing).
    private static (uint, uint) Hash(string code)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(code.AsSpan()));
        return ((uint)hash, (uint)(hash >> 32) | 1);
    }
}
