namespace LinkTracker.Bench.Load;

/// <summary>A thread-safe set of non-negative ids (up to 2^30), allocated a megabit at a time as ids grow.</summary>
public sealed class BitSet
{
    private const int ChunkShift = 20;
    private const long ChunkMask = (1L << ChunkShift) - 1;
    private readonly long[]?[] _chunks = new long[1024][];

    /// <returns>true when the id was not in the set before.</returns>
    public bool Add(long id)
    {
        var chunk = Chunk(id);
        var bit = 1L << (int)(id & 63);
        return (Interlocked.Or(ref chunk[(id & ChunkMask) >> 6], bit) & bit) == 0;
    }

    public bool Contains(long id)
    {
        var chunk = id >> ChunkShift < _chunks.Length ? Volatile.Read(ref _chunks[id >> ChunkShift]) : null;
        return chunk is not null && (Volatile.Read(ref chunk[(id & ChunkMask) >> 6]) & (1L << (int)(id & 63))) != 0;
    }

    private long[] Chunk(long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id >> ChunkShift, _chunks.Length, nameof(id));
        ref var slot = ref _chunks[id >> ChunkShift];
        var chunk = Volatile.Read(ref slot);
        if (chunk is null)
        {
            Interlocked.CompareExchange(ref slot, new long[(1 << ChunkShift) / 64], null);
            chunk = Volatile.Read(ref slot)!;
        }

        return chunk;
    }
}
