using System.Net;
using System.Net.Sockets;

namespace LinkTracker.Reports;

/// <summary>
/// Addresses a tenant's webhook may not reach: every block of the IANA IPv4 and IPv6 Special-Purpose Address
/// Registries (iana.org/assignments/iana-ipv4-special-registry and iana-ipv6-special-registry, RFC 6890 and the RFCs
/// they list, as of 2024: RFC 9637 documentation, RFC 9602 SRv6), globally reachable ones included since no webhook
/// needs them, plus multicast, IPv4 broadcast and IPv6 site-local. IPv6 forms that embed an IPv4 address
/// (IPv4-mapped, NAT64, 6to4, Teredo) are blocked as a whole: they could reach a private IPv4 network through a
/// translator.
/// </summary>
public static class SpecialPurposeAddresses
{
    private static readonly IPNetwork[] Blocks =
    [
        // IPv4 special-purpose registry
        IPNetwork.Parse("0.0.0.0/8"), // "this network"
        IPNetwork.Parse("10.0.0.0/8"), // private use
        IPNetwork.Parse("100.64.0.0/10"), // shared address space (carrier-grade NAT)
        IPNetwork.Parse("127.0.0.0/8"), // loopback
        IPNetwork.Parse("169.254.0.0/16"), // link local (cloud metadata)
        IPNetwork.Parse("172.16.0.0/12"), // private use
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"), // documentation (TEST-NET-1)
        IPNetwork.Parse("192.31.196.0/24"), // AS112-v4
        IPNetwork.Parse("192.52.193.0/24"), // AMT
        IPNetwork.Parse("192.88.99.0/24"), // deprecated 6to4 relay anycast
        IPNetwork.Parse("192.168.0.0/16"), // private use
        IPNetwork.Parse("192.175.48.0/24"), // direct delegation AS112
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"), // documentation (TEST-NET-3)
        IPNetwork.Parse("240.0.0.0/4"), // reserved
        IPNetwork.Parse("255.255.255.255/32"), // limited broadcast
        IPNetwork.Parse("224.0.0.0/4"), // multicast (address space registry)

        // IPv6 special-purpose registry
        IPNetwork.Parse("::/128"), // unspecified
        IPNetwork.Parse("::1/128"), // loopback
        IPNetwork.Parse("::ffff:0:0/96"), // IPv4-mapped
        IPNetwork.Parse("64:ff9b::/96"), // IPv4/IPv6 translation
        IPNetwork.Parse("64:ff9b:1::/48"), // local-use IPv4/IPv6 translation
        IPNetwork.Parse("100::/64"), // discard-only
        IPNetwork.Parse("2001::/23"), // IETF protocol assignments (Teredo, benchmarking, ORCHID, ...)
        IPNetwork.Parse("2001:db8::/32"), // documentation
        IPNetwork.Parse("2002::/16"), // 6to4
        IPNetwork.Parse("2620:4f:8000::/48"), // direct delegation AS112
        IPNetwork.Parse("3fff::/20"), // documentation (RFC 9637)
        IPNetwork.Parse("5f00::/16"), // segment routing SIDs (RFC 9602)
        IPNetwork.Parse("fc00::/7"), // unique local
        IPNetwork.Parse("fe80::/10"), // link local
        IPNetwork.Parse("fec0::/10"), // site local (deprecated, address space registry)
        IPNetwork.Parse("ff00::/8"), // multicast (address space registry)
    ];

    /// <summary>Whether the address lies in a special-purpose block (an IPv4-mapped IPv6 address is judged as IPv4 too).</summary>
    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return true;
        }

        foreach (var block in Blocks)
        {
            if (block.BaseAddress.AddressFamily == address.AddressFamily && block.Contains(address))
            {
                return true;
            }
        }

        return address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6);
    }
}
