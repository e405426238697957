using System.ComponentModel.DataAnnotations;
using LinkTracker.Network;

namespace LinkTracker.Tests.Network;

public sealed class NetworkOptionsTests
{
    private static List<string> Errors(NetworkOptions options) =>
        [.. options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!)];

    [Fact]
    public void Addresses_and_networks_are_accepted()
    {
        Assert.Empty(Errors(new NetworkOptions { KnownProxies = ["10.0.0.5", "::1"], KnownNetworks = ["10.0.0.0/8", "fd00::/8"] }));
    }

    [Fact]
    public void A_network_given_as_a_proxy_and_a_host_given_as_a_network_are_refused_with_what_to_write()
    {
        var errors = Errors(new NetworkOptions { KnownProxies = ["10.0.0.0/8"], KnownNetworks = ["lb.internal", "10.0.0.0/33"] });

        Assert.Equal(3, errors.Count);
        Assert.Contains("Network:KnownProxies has '10.0.0.0/8', which is not an IP address", errors[0], StringComparison.Ordinal);
        Assert.Contains("Network:KnownNetworks has 'lb.internal'", errors[1], StringComparison.Ordinal);
        Assert.Contains("'10.0.0.0/33'", errors[2], StringComparison.Ordinal);
    }
}
