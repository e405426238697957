using System.Net;
using System.Text.RegularExpressions;
using LinkTracker.Dashboard;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Runbook;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>
/// The operator page's session (lt_ops cookie) across restarts of one data folder: it survives a restart with the same
/// operator token, and ends when the token changes.
/// </summary>
public sealed partial class OperatorSessionTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_session_survives_a_restart_with_the_same_token_and_ends_when_the_token_changes()
    {
        string cookie;
        await using (var first = await StartAsync())
        {
            cookie = await SignInAsync(first, OpsCredential.ReadFile(_data.Path)!);
            Assert.Equal(HttpStatusCode.OK, await OperatorPageAsync(first, cookie));
        }

        await using (var sameToken = await StartAsync())
        {
            Assert.Equal(HttpStatusCode.OK, await OperatorPageAsync(sameToken, cookie)); // the cookie itself still decrypts
        }

        var newToken = "lt_ops_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        await File.WriteAllTextAsync(Path.Combine(_data.Path, OpsCredential.FileName), newToken + "\n");
        await using var rotated = await StartAsync();

        Assert.Equal(HttpStatusCode.Redirect, await OperatorPageAsync(rotated, cookie)); // to the sign-in page
        Assert.Equal(HttpStatusCode.OK, await OperatorPageAsync(rotated, await SignInAsync(rotated, newToken)));
    }

    private Task<TestService> StartAsync() => TestService.StartAsync($"Storage:DataDirectory={_data.Path}");

    private static async Task<HttpStatusCode> OperatorPageAsync(TestService service, string cookie)
    {
        using var client = Clients.For(service.Address, "localhost");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ops/dashboard");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <returns>The Cookie header of the operator session (lt_ops).</returns>
    private static async Task<string> SignInAsync(TestService service, string token)
    {
        using var client = Clients.For(service.Address, "localhost");
        using var form = await client.GetAsync("/ops/dashboard/signin");
        var antiforgeryCookie = Cookies(form).Single(c => c.StartsWith("lt_antiforgery=", StringComparison.Ordinal));
        var field = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
        Assert.True(field.Success, "the sign-in form has no antiforgery field");

        using var post = new HttpRequestMessage(HttpMethod.Post, "/ops/dashboard/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["__lt_form"] = WebUtility.HtmlDecode(field.Groups[1].Value) }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        using var signedIn = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return Cookies(signedIn).Single(c => c.StartsWith(DashboardAuthentication.OperatorCookie + "=", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    [GeneratedRegex("name=\"__lt_form\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
