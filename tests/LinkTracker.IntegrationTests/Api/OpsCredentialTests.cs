using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Runbook;
using LinkTracker.Storage;
using Microsoft.Extensions.Options;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>The operator token file in a real data folder.</summary>
public sealed class OpsCredentialTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private OpsCredential Credential(string? token = null) =>
        new(Options.Create(new OpsOptions { Token = token }), Options.Create(new StorageOptions { DataDirectory = _data.Path }));

    [Fact]
    public void The_generated_token_matches_itself_only_and_survives_a_restart()
    {
        var first = Credential();
        var token = OpsCredential.ReadFile(_data.Path)!;
        var again = Credential();

        Assert.Equal(Path.Combine(_data.Path, OpsCredential.FileName), first.FilePath);
        Assert.True(first.Matches(token));
        Assert.True(again.Matches(token));
        Assert.False(first.Matches(""));
        Assert.False(first.Matches(token.AsSpan()[..^1]));
        Assert.False(first.Matches(token + "0"));
    }

    [Fact]
    public void An_empty_token_file_refuses_to_start_instead_of_accepting_an_empty_token()
    {
        File.WriteAllText(Path.Combine(_data.Path, OpsCredential.FileName), "\n");

        var refused = Assert.Throws<InvalidOperationException>(() => Credential());

        Assert.Contains("delete it", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_token_writes_no_file()
    {
        var credential = Credential("0123456789abcdef0123456789abcdef");

        Assert.Null(credential.FilePath);
        Assert.True(credential.Matches("0123456789abcdef0123456789abcdef"));
        Assert.False(File.Exists(Path.Combine(_data.Path, OpsCredential.FileName)));
    }
}
