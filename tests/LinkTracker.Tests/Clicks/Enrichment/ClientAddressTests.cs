using System.Net;
using LinkTracker.Clicks.Enrichment;

namespace LinkTracker.Tests.Clicks.Enrichment;

public class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.77", 24, "203.0.113.0")]
    [InlineData("203.0.113.77", 16, "203.0.0.0")]
    [InlineData("203.0.113.77", 32, "203.0.113.77")]
    [InlineData("203.0.113.77", 20, "203.0.112.0")]
    [InlineData("::ffff:203.0.113.77", 24, "203.0.113.0")]
    public void Keeps_the_ipv4_prefix(string address, int prefix, string expected) =>
        Assert.Equal(expected, ClientAddress.Truncate(IPAddress.Parse(address), prefix, 48));

    [Fact]
    public void Keeps_the_ipv6_prefix() =>
        Assert.Equal("2001:db8:1234::", ClientAddress.Truncate(IPAddress.Parse("2001:db8:1234:5678::1"), 24, 48));

    [Fact]
    public void A_zero_prefix_keeps_nothing()
    {
        Assert.Null(ClientAddress.Truncate(IPAddress.Parse("203.0.113.77"), 0, 48));
        Assert.Null(ClientAddress.Truncate(null, 24, 48));
    }
}
