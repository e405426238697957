using System.Runtime.InteropServices;
using System.Text;

namespace LinkTracker.Core.Clicks;

/// <summary>
/// Clicks of one tenant as bytes: a version byte, the tenant, then the clicks, each field length-prefixed. The body
/// of a broker message and of a journal record; binary because both carry thousands of clicks and the writers
/// decode every one.
/// </summary>
/// <remarks>
/// The format is a contract between builds (ADR 11): this build knows <see cref="CurrentVersion"/> field by field and
/// reads versions 1 to the next one. Version 2 is version 1 with one length-prefixed extension block after each
/// click's fields and one after the last click; in the click's block version 2 defines the campaign of a signed link
/// (ADR 26), the message's block is empty. A reader takes the fields it knows while the block has bytes left and skips
/// the rest by its length; every later version may only append inside those blocks, so version N reads N + 1.
/// Writers write <see cref="WriteVersion"/>: version 2 from the release after the one that first read it field by field
/// (a build that only skipped version 2's blocks would count a signed click without its campaign); <c>ClickFormat:WriteVersion</c>
/// = 1 keeps a deployment rolling back to such a build on version 1.
/// </remarks>
public static class ClickCodec
{
    /// <summary>The newest version this build knows field by field, and may write.</summary>
    public const byte CurrentVersion = 2;

    /// <summary>The newest version this build reads: the next one, whose unknown block contents it skips.</summary>
    public const byte NewestReadableVersion = CurrentVersion + 1;

    /// <summary>The oldest version there is; what this build writes only when switched to it.</summary>
    public const byte OldestVersion = 1;

    /// <summary>The first version with extension blocks.</summary>
    private const byte ExtensionsSince = 2;

    private static byte _writeVersion = CurrentVersion;

    /// <summary>
    /// The version <see cref="Encode(Stream, string, IReadOnlyList{Click})"/> writes, for the whole process: set once at
    /// start from the deployment's configuration, after every reader runs a build that knows it (ADR 11).
    /// </summary>
    public static byte WriteVersion
    {
        get => Volatile.Read(ref _writeVersion);
        set => Volatile.Write(ref _writeVersion, value is >= OldestVersion and <= CurrentVersion
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"This build writes click format versions {OldestVersion} to {CurrentVersion}."));
    }

    /// <summary>Most clicks one encoding may hold; a larger message or record is refused when read.</summary>
    public const int MaxClicks = 1_000_000;

    public static byte[] Encode(string tenant, IReadOnlyList<Click> clicks) => Encode(tenant, clicks, WriteVersion);

    /// <summary>The clicks in the given version (tests and tools; the process writes <see cref="WriteVersion"/>).</summary>
    public static byte[] Encode(string tenant, IReadOnlyList<Click> clicks, byte version)
    {
        using var stream = new MemoryStream(64 + (clicks.Count * 160));
        Encode(stream, tenant, clicks, version);
        return stream.ToArray();
    }

    /// <summary>Writes the encoded clicks at the stream's position, in <see cref="WriteVersion"/>.</summary>
    public static void Encode(Stream stream, string tenant, IReadOnlyList<Click> clicks) => Encode(stream, tenant, clicks, WriteVersion);

    /// <summary>Writes the encoded clicks at the stream's position, in the given version.</summary>
    public static void Encode(Stream stream, string tenant, IReadOnlyList<Click> clicks, byte version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, OldestVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, CurrentVersion);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(version);
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
            if (version >= ExtensionsSince)
            {
                WriteClickExtension(writer, click);
            }
        }

        if (version >= ExtensionsSince)
        {
            writer.Write7BitEncodedInt(0); // the message's block: nothing in version 2
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

            if (version < OldestVersion)
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
                var campaign = version >= ExtensionsSince ? ReadClickExtension(reader) : null;
                clicks[i] = new Click(id, tenant, code, recipient, at, userAgent, referrer, address, flags, campaign);
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

    /// <summary>A click's block in version 2: its length, then the campaign (nullable string).</summary>
    private static void WriteClickExtension(BinaryWriter writer, Click click)
    {
        if (click.Campaign is null)
        {
            writer.Write7BitEncodedInt(1);
            writer.Write(false);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(click.Campaign);
        var prefix = 1;
        for (var rest = length >> 7; rest != 0; rest >>= 7)
        {
            prefix++;
        }

        writer.Write7BitEncodedInt(1 + prefix + length);
        writer.Write(true);
        writer.Write(click.Campaign);
    }

    /// <summary>
    /// Reads a click's block: the campaign if the block holds it (an empty block, as a version 2 writer that knew no
    /// field might have left, has none), then skips what a newer build appended after it.
    /// </summary>
    private static string? ReadClickExtension(BinaryReader reader)
    {
        var end = BlockEnd(reader);
        var stream = reader.BaseStream;
        var campaign = stream.Position < end ? ReadNullable(reader) : null;
        if (stream.Position > end)
        {
            throw new InvalidDataException("Click message has a campaign that overruns its extension block.");
        }

        stream.Position = end;
        return campaign;
    }

    /// <summary>Skips an extension block: its length (7-bit encoded), then that many bytes this build does not know.</summary>
    private static void SkipExtension(BinaryReader reader) => reader.BaseStream.Position = BlockEnd(reader);

    /// <summary>Reads a block's length and returns where the block ends.</summary>
    private static long BlockEnd(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        var stream = reader.BaseStream;
        if (length < 0 || length > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"Click message claims an extension of {length} bytes where {stream.Length - stream.Position} are left.");
        }

        return stream.Position + length;
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
