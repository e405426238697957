using System.Net;
using System.Net.Sockets;

namespace LinkTracker.Reports;

/// <summary>
/// Keeps tenants' webhooks off the operator's own network and every special-purpose range: a literal address is
/// refused when the URL is saved, and every address is checked again when the connection is made (after DNS, so a
/// name that resolves to 10.0.0.5 or re-resolves later is caught too).
/// </summary>
public static class WebhookTargets
{
    /// <summary>Whether a webhook may not be delivered to this address: any IANA special-purpose block (see <see cref="SpecialPurposeAddresses"/>).</summary>
    public static bool IsPrivate(IPAddress address) => SpecialPurposeAddresses.Contains(address);

    /// <summary>The URL's host when it is a literal address that <see cref="IsPrivate"/> refuses (checked when the URL is saved); null otherwise.</summary>
    public static IPAddress? PrivateLiteral(Uri url) =>
        url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && IsPrivate(address)
            ? address
            : null;

    /// <summary>The handler of the webhook client: no redirects (a 3xx is a failed delivery), and private targets refused unless allowed.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = allowPrivate ? addresses : [.. addresses.Where(a => !IsPrivate(a))];
            if (allowed.Length == 0)
            {
                throw new HttpRequestException(
                    $"{context.DnsEndPoint.Host} resolves to no public address; webhooks may not reach private networks (Reports:AllowPrivateWebhookTargets).");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
