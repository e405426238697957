using System.ComponentModel.DataAnnotations;
using System.Net;

namespace LinkTracker.Network;

/// <summary>
/// Which proxies in front of the service are trusted to say who the client is. Empty by default: X-Forwarded-For is
/// then ignored, since any client could write it.
/// </summary>
public sealed class NetworkOptions : IValidatableObject
{
    public const string Section = "Network";

    /// <summary>Addresses of load balancers or reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed, e.g. "10.0.0.5".</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation, e.g. "10.0.0.0/8".</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxy hops to unwind from the right of X-Forwarded-For (each must be trusted).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult(
                $"Network:KnownProxies has '{proxy}', which is not an IP address. Give addresses such as 10.0.0.5 (networks go in Network:KnownNetworks).",
                [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult(
                $"Network:KnownNetworks has '{network}', which is not a network in CIDR notation such as 10.0.0.0/8.",
                [nameof(KnownNetworks)]);
        }
    }
}
