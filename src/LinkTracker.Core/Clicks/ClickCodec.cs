using System.Runtime.InteropServices;
using System.Text;

namespace LinkTracker.Core.Clicks;

/// <summary>
/// Clicks of one tenant as bytes: a version byte, the tenant, then the clicks, each field length-prefixed. The body
/// of a broker message and of a journal record; binary because both carry thousands of clicks and the writers
/// decode every one.
/// </summary>
/// <remarks>
/// The format is a contract between builds (ADR 11): this build writes <see cref="CurrentVersion"/> and reads it and
/// the next one. Version 2 is version 1 with one length-prefixed extension block after each click's fields and one
/// after the last click; a build that knows nothing in a block skips it by its length. Every later version may only
/// append inside those blocks, so version N reads N + 1 the same way.
/// </remarks>
public static class ClickCodec
{
    /// <summary>The version this build writes.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>The newest version this build reads: the next one, whose extension blocks it skips.</summary>
    public const byte NewestReadableVersion = CurrentVersion + 1;

    /// <summary>The first version with extension blocks.</summary>
    private const byte ExtensionsSince = 2;

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
        writer.Write(CurrentVersion);
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

    /// <exception cref="UnknownClickFormatException">The body is in a version newer than <see cref="NewestReadableVersion"/>.</exception>
    /// <exception cref="InvalidDataException">The body is not a click message (truncated, foreign, or inconsistent).</exception>
    public static (string Tenant, Click[] Clicks) Decode(ReadOnlyMemory<byte> body)
    {
        using var stream = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            var version = reader.ReadByte();
            if (version > NewestReadableVersion)
            {
                throw new UnknownClickFormatException(version);
            }

            if (version < CurrentVersion)
            {
                throw new InvalidDataException($"Click message version {version} was never written by any LinkTracker: the bytes are not a click message.");
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
                var id = new Guid(ReadExactly(reader, 16), bigEndian: true);
                var code = reader.ReadString();
                var recipient = ReadNullable(reader);
                var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
                var userAgent = ReadNullable(reader);
                var referrer = ReadNullable(reader);
                var address = ReadNullable(reader);
                var flags = (ClickFlags)reader.ReadInt32();
                clicks[i] = new Click(id, tenant, code, recipient, at, userAgent, referrer, address, flags);
                if (version >= ExtensionsSince)
                {
                    SkipExtension(reader);
                }
            }

            if (version >= ExtensionsSince)
            {
                SkipExtension(reader);
            }

            return stream.Position == stream.Length
                ? (tenant, clicks)
                : throw new InvalidDataException($"Click message has {stream.Length - stream.Position} bytes after its last click.");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Click message ends early.", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException("Click message holds a time out of range.", e);
        }
    }

    private static byte[] ReadExactly(BinaryReader reader, int count)
    {
        var bytes = reader.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException();
    }

    /// <summary>Skips an extension block: its length (7-bit encoded), then that many bytes this build does not know.</summary>
    private static void SkipExtension(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        var stream = reader.BaseStream;
        if (length < 0 || length > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"Click message claims an extension of {length} bytes where {stream.Length - stream.Position} are left.");
        }

        stream.Position += length;
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
