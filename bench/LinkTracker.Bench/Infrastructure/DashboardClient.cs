using System.Net;
using System.Text.RegularExpressions;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// A person's browser on a tenant's dashboard: signs in through the real form (the antiforgery cookie and the form's
/// token from the sign-in page), then keeps the session cookie. Cookies are kept by hand: the requests go to 127.0.0.1
/// with the tenant's Host header, and the cookies are host-only.
/// </summary>
public sealed partial class DashboardClient : IDisposable
{
    private const string FormField = "__lt_form"; // DashboardExtensions: the antiforgery form field
    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public DashboardClient(Uri address, string host)
    {
        _http = new HttpClient(new HostHeaderHandler(host)) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var page = await GetAsync("/dashboard/signin", cancellationToken);
        var token = TokenInput().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups["value"].Value)
            : throw new InvalidOperationException("the sign-in page has no antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = email,
                ["password"] = password,
                ["returnUrl"] = "/dashboard",
                [FormField] = token,
            }),
        };
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Found || !_cookies.ContainsKey("lt_dashboard"))
        {
            throw new InvalidOperationException($"signing in to the dashboard answered {(int)response.StatusCode} without a session cookie");
        }
    }

    /// <summary>GET with the cookies; fails on anything but 200 (a redirect to the sign-in page too).</summary>
    public async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? body
            : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {response.Headers.Location}");
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
        }

        var response = await _http.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    _cookies[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
                }
            }
        }

        return response;
    }

    [GeneratedRegex("<input[^>]*name=\"" + FormField + "\"[^>]*value=\"(?<value>[^\"]*)\"|<input[^>]*value=\"(?<value>[^\"]*)\"[^>]*name=\"" + FormField + "\"")]
    private static partial Regex TokenInput();
}
