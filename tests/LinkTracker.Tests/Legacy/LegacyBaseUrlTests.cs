using LinkTracker.Legacy;
using Microsoft.AspNetCore.Http;

namespace LinkTracker.Tests.Legacy;

public sealed class LegacyBaseUrlTests
{
    [Theory]
    [InlineData("https://old-tracker.example")]
    [InlineData("http://old-tracker.example/r/")]
    [InlineData("https://203.0.114.7")]
    public void Public_http_urls_are_accepted(string url) => Assert.Null(LegacyBaseUrl.Validate(url, allowPrivate: false));

    [Theory]
    [InlineData("ftp://old.example")]
    [InlineData("/relative")]
    [InlineData("https://user:pw@old.example")]
    [InlineData("https://old.example/?q=1")]
    [InlineData("https://old.example/#top")]
    public void Malformed_urls_are_refused_with_an_example(string url) =>
        Assert.Contains("https://old-tracker.example", LegacyBaseUrl.Validate(url, allowPrivate: false));

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://10.0.0.5")]
    [InlineData("http://169.254.169.254")]
    [InlineData("http://[::1]")]
    public void Private_addresses_are_refused_unless_the_operator_allows_them(string url)
    {
        Assert.Contains("Legacy:AllowPrivateTargets", LegacyBaseUrl.Validate(url, allowPrivate: false));
        Assert.Null(LegacyBaseUrl.Validate(url, allowPrivate: true));
    }

    [Theory]
    [InlineData("https://old.example", "/Ab3x", "?r=a%20b", "https://old.example/Ab3x?r=a%20b")]
    [InlineData("https://old.example/r/", "/Ab3x", "", "https://old.example/r/Ab3x")]
    public void The_legacy_url_is_the_base_then_the_path_and_query(string baseUrl, string path, string query, string expected) =>
        Assert.Equal(expected, LegacyBaseUrl.Combine(baseUrl, new PathString(path), new QueryString(query)).AbsoluteUri);

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/API/links", true)]
    [InlineData("/ops/migration", true)]
    [InlineData("/health/ready", true)]
    [InlineData("/metrics", true)]
    [InlineData("/dashboard/x", true)]
    [InlineData("/apiary", false)]
    [InlineData("/about/team", false)]
    [InlineData("/", false)]
    public void The_services_own_paths_are_never_passed_through(string path, bool owned) =>
        Assert.Equal(owned, LegacyProxy.IsOwned(new PathString(path)));
}
