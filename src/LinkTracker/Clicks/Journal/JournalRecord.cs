using System.Buffers.Binary;
using System.IO.Hashing;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Journal;

/// <summary>
/// One record of a journal segment: the clicks of one tenant from one append. On disk a 12-byte header (magic,
/// payload length, CRC-32 of the payload) and the payload (<see cref="ClickCodec"/>); the CRC finds a torn tail.
/// </summary>
internal sealed record JournalRecord(long Number, JournalSegment Segment, long Offset, int Length, int Count, long OldestAtMs)
{
    public const int HeaderSize = 12;
    private const uint Magic = 0x4C544A31; // "LTJ1"

    /// <summary>Appends one framed record to the buffer; returns its offset in the buffer and its framed length.</summary>
    public static (long Start, int Length) Write(MemoryStream buffer, string tenant, IReadOnlyList<Click> clicks)
    {
        var start = buffer.Position;
        buffer.Write(stackalloc byte[HeaderSize]);
        ClickCodec.Encode(buffer, tenant, clicks);
        var length = (int)(buffer.Position - start);
        var record = buffer.GetBuffer().AsSpan((int)start, length);
        BinaryPrimitives.WriteUInt32LittleEndian(record, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], length - HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], Crc32.HashToUInt32(record[HeaderSize..]));
        return (start, length);
    }

    /// <summary>The framed length of the record at the start of <paramref name="bytes"/>, or null when no whole, intact record is there.</summary>
    public static int? Frame(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            return null;
        }

        var payload = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (payload < 0 || payload > bytes.Length - HeaderSize)
        {
            return null;
        }

        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        return Crc32.HashToUInt32(bytes.Slice(HeaderSize, payload)) == crc ? HeaderSize + payload : null;
    }

    /// <summary>Reads this record back from its segment.</summary>
    /// <exception cref="InvalidDataException">The bytes on disk are not the record written there.</exception>
    public Click[] Read()
    {
        var bytes = new byte[Length];
        var read = 0;
        while (read < Length)
        {
            var n = RandomAccess.Read(Segment.Handle, bytes.AsSpan(read), Offset + read);
            if (n == 0)
            {
                throw new InvalidDataException($"Journal segment {Segment.Path} ends inside record {Number}.");
            }

            read += n;
        }

        return Decode(bytes) ?? throw new InvalidDataException($"Journal record {Number} in {Segment.Path} does not match its checksum.");
    }

    /// <summary>The clicks of a framed record, or null when its frame is not intact.</summary>
    public static Click[]? Decode(ReadOnlyMemory<byte> framed)
    {
        var length = Frame(framed.Span);
        return length is null ? null : ClickCodec.Decode(framed[HeaderSize..length.Value]).Clicks;
    }

    /// <summary>The clicks per tenant, in their order, at most <paramref name="maxRecordClicks"/> per record.</summary>
    public static IEnumerable<(string Tenant, IReadOnlyList<Click> Clicks)> SplitByTenant(IReadOnlyList<Click> clicks, int maxRecordClicks)
    {
        var first = clicks[0].Tenant;
        var single = true;
        for (var i = 1; i < clicks.Count && single; i++)
        {
            single = clicks[i].Tenant == first;
        }

        if (single)
        {
            for (var start = 0; start < clicks.Count; start += maxRecordClicks)
            {
                yield return (first, Slice(clicks, start, maxRecordClicks));
            }

            yield break;
        }

        foreach (var group in clicks.GroupBy(c => c.Tenant, StringComparer.Ordinal))
        {
            var list = group.ToList();
            for (var start = 0; start < list.Count; start += maxRecordClicks)
            {
                yield return (group.Key, Slice(list, start, maxRecordClicks));
            }
        }
    }

    private static IReadOnlyList<Click> Slice(IReadOnlyList<Click> clicks, int start, int maxRecordClicks) =>
        start == 0 && clicks.Count <= maxRecordClicks ? clicks : clicks.Skip(start).Take(maxRecordClicks).ToList();
}
