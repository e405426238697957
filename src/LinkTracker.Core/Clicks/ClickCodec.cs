using System.Runtime.InteropServices;
using System.Text;

namespace LinkTracker.Core.Clicks;

/// <summary>
/// Clicks of one tenant as bytes: a version byte, the tenant, then the clicks, each field length-prefixed. The body
/// of a broker message and of a journal record; binary because both carry thousands of clicks and the writers
/// decode every one.
/// </summary>
public static class ClickCodec
{
    private const byte Version = 1;

    /// <summary>Most clicks one encoding may hold; a larger message or record is refused when read.</summary>
    public const int MaxClicks = 1_000_000;

    public static byte[] Encode(string tenant, IReadOnlyList<Click> clicks)
    {
        using var stream = new MemoryStream(64 + (clicks.Count * 160));
        Encode(stream, tenant, clicks);
        return stream.ToArray();
    }

    /// <summary>Writes the encoded clicks at the stream's position.</summary>
    public static void Encode(Stream stream, string tenant, IReadOnlyList<Click> clicks)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Version);
        writer.Write(tenant);
        writer.Write7BitEncodedInt(clicks.Count);
        Span<byte> id = stackalloc byte[16];
        foreach (var click in clicks)
        {
            click.Id.TryWriteBytes(id, bigEndian: true, out _);
            writer.Write(id);
            writer.Write(click.Code);
            WriteNullable(writer, click.Recipient);
            writer.Write(click.At.ToUnixTimeMilliseconds());
            WriteNullable(writer, click.UserAgent);
            WriteNullable(writer, click.Referrer);
            WriteNullable(writer, click.ClientAddress);
            writer.Write((int)click.Flags);
        }
    }

    /// <exception cref="InvalidDataException">The body is not a click message this version can read.</exception>
    public static (string Tenant, Click[] Clicks) Decode(ReadOnlyMemory<byte> body)
    {
        using var stream = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            var version = reader.ReadByte();
            if (version != Version)
            {
                throw new InvalidDataException($"Click message version {version} is not known (this build reads version {Version}).");
            }

            var tenant = reader.ReadString();
            var count = reader.Read7BitEncodedInt();
            if (count is < 0 or > MaxClicks)
            {
                throw new InvalidDataException($"Click message claims {count} clicks.");
            }

            var clicks = new Click[count];
            for (var i = 0; i < count; i++)
            {
                var id = new Guid(reader.ReadBytes(16), bigEndian: true);
                var code = reader.ReadString();
                var recipient = ReadNullable(reader);
                var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
                var userAgent = ReadNullable(reader);
                var referrer = ReadNullable(reader);
                var address = ReadNullable(reader);
                var flags = (ClickFlags)reader.ReadInt32();
                clicks[i] = new Click(id, tenant, code, recipient, at, userAgent, referrer, address, flags);
            }

            return stream.Position == stream.Length
                ? (tenant, clicks)
                : throw new InvalidDataException($"Click message has {stream.Length - stream.Position} bytes after its last click.");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Click message ends early.", e);
        }
    }

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
