using System.Net;
using System.Net.Sockets;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>Keeps only the network part of a client address, so a click is never tied to one device.</summary>
public static class ClientAddress
{
    public static string? Truncate(IPAddress? address, int ipv4PrefixLength, int ipv6PrefixLength)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? ipv4PrefixLength : ipv6PrefixLength;
        if (prefix == 0)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        bytes = bytes[..length];
        for (var bit = prefix; bit < length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes).ToString();
    }
}
