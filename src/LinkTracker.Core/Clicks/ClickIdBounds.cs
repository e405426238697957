namespace LinkTracker.Core.Clicks;

/// <summary>Click ids as a time index: a UUIDv7 begins with its 48-bit Unix time in milliseconds, and uuids compare bytewise.</summary>
public static class ClickIdBounds
{
    /// <summary>The smallest UUIDv7 of that millisecond (the timestamp, then zeros): "clicks before T" is "ids below this".</summary>
    public static Guid SmallestAt(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, Math.Max(0, at.ToUnixTimeMilliseconds()) << 16);
        return new Guid(bytes, bigEndian: true);
    }
}
