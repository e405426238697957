using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>
/// A tiny writer of the MaxMind DB format (spec v2.0), so tests build their own geo database instead of downloading
/// one: an IPv4 binary search tree with 24-bit records, the 16-byte separator, a data section of maps, strings and
/// unsigned integers, then the metadata marker and map. Enough for a GeoIP2-City or -Country file with a few networks.
/// </summary>
public sealed class MmdbWriter(string databaseType)
{
    private const int RecordBits = 24;
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    // A node's two records: another node (>= 0), no data (Empty) or data (-2 - index into _records).
    private const int Empty = -1;
    private readonly List<int[]> _nodes = [[Empty, Empty]];
    private readonly List<object> _records = [];

    /// <summary>Maps an IPv4 network (e.g. "81.2.69.0/24") to a record: nested dictionaries, strings, uint, ulong.</summary>
    public MmdbWriter Add(string network, object record)
    {
        var (address, prefix) = (IPAddress.Parse(network.Split('/')[0]), int.Parse(network.Split('/')[1]));
        if (address.AddressFamily != AddressFamily.InterNetwork || prefix is < 1 or > 32)
        {
            throw new ArgumentException($"An IPv4 network with a prefix of 1 to 32 bits, not {network}.", nameof(network));
        }

        var bits = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var node = 0;
        for (var depth = 0; depth < prefix - 1; depth++)
        {
            var bit = (int)((bits >> (31 - depth)) & 1);
            if (_nodes[node][bit] < Empty)
            {
                throw new ArgumentException($"{network} lies inside a network added before; add the smaller one only.", nameof(network));
            }

            if (_nodes[node][bit] == Empty)
            {
                _nodes.Add([Empty, Empty]);
                _nodes[node][bit] = _nodes.Count - 1;
            }

            node = _nodes[node][bit];
        }

        _records.Add(record);
        _nodes[node][(int)((bits >> (32 - prefix)) & 1)] = -2 - (_records.Count - 1);
        return this;
    }

    public byte[] Build(DateTimeOffset builtAt)
    {
        var data = new MemoryStream();
        var offsets = new long[_records.Count];
        for (var i = 0; i < _records.Count; i++)
        {
            offsets[i] = data.Length;
            Encode(data, _records[i]);
        }

        var nodeCount = (uint)_nodes.Count;
        var file = new MemoryStream();
        foreach (var node in _nodes)
        {
            foreach (var record in node)
            {
                // Spec: a record equal to the node count means "no data"; above it, data at (record - node count - 16).
                var value = record switch
                {
                    Empty => nodeCount,
                    >= 0 => (uint)record,
                    _ => nodeCount + 16 + (uint)offsets[-2 - record],
                };
                if (value >= 1u << RecordBits)
                {
                    throw new InvalidOperationException("Too large for 24-bit records; this writer is for small test files.");
                }

                file.Write([(byte)(value >> 16), (byte)(value >> 8), (byte)value]);
            }
        }

        file.Write(new byte[16]);
        data.Position = 0;
        data.CopyTo(file);
        file.Write(MetadataMarker);
        Encode(file, new Dictionary<string, object>
        {
            ["node_count"] = nodeCount,
            ["record_size"] = (ushort)RecordBits,
            ["ip_version"] = (ushort)4,
            ["database_type"] = databaseType,
            ["languages"] = new object[] { "en" },
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = (ulong)builtAt.ToUnixTimeSeconds(),
            ["description"] = new Dictionary<string, object> { ["en"] = "LinkTracker test database" },
        });
        return file.ToArray();
    }

    public async Task<string> WriteToAsync(string folder)
    {
        var path = Path.Combine(folder, $"{databaseType}.mmdb");
        await File.WriteAllBytesAsync(path, Build(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        return path;
    }

    private static void Encode(Stream output, object value)
    {
        switch (value)
        {
            case string text:
                var utf8 = Encoding.UTF8.GetBytes(text);
                Control(output, 2, utf8.Length);
                output.Write(utf8);
                break;
            case ushort number:
                Unsigned(output, 5, number);
                break;
            case uint number:
                Unsigned(output, 6, number);
                break;
            case ulong number:
                Unsigned(output, 9, number);
                break;
            case IDictionary<string, object> map:
                Control(output, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Encode(output, key);
                    Encode(output, item);
                }

                break;
            case object[] array:
                Control(output, 11, array.Length);
                foreach (var item in array)
                {
                    Encode(output, item);
                }

                break;
            default:
                throw new ArgumentException($"This writer encodes no {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>An unsigned integer in as few big-endian bytes as it needs (the size is the byte count).</summary>
    private static void Unsigned(Stream output, int type, ulong number)
    {
        var length = (64 - System.Numerics.BitOperations.LeadingZeroCount(number) + 7) / 8;
        Control(output, type, length);
        for (var i = length - 1; i >= 0; i--)
        {
            output.WriteByte((byte)(number >> (8 * i)));
        }
    }

    /// <summary>The control byte: 3 bits of type (0 and a following byte of type - 7 for extended types), 5 of size.</summary>
    private static void Control(Stream output, int type, int size)
    {
        var (sizeBits, extra) = size switch
        {
            < 29 => (size, Array.Empty<byte>()),
            < 29 + 256 => (29, [(byte)(size - 29)]),
            < 285 + 65_536 => (30, [(byte)((size - 285) >> 8), (byte)(size - 285)]),
            _ => throw new ArgumentOutOfRangeException(nameof(size), "Too large for this writer."),
        };
        output.WriteByte((byte)(((type <= 7 ? type : 0) << 5) | sizeBits));
        if (type > 7)
        {
            output.WriteByte((byte)(type - 7));
        }

        output.Write(extra);
    }
}
