using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace LinkTracker.IntegrationTests.Postgres;

/// <summary>Bad PostgreSQL settings stop the service at start, naming the setting to fix; no server is needed.</summary>
public sealed class PostgresStartupTests
{
    [Theory]
    [InlineData("Storage:Postgres", "Storage:Engine=Postgres")]
    [InlineData("Storage:Postgres", "Storage:Engine=postgres", "Storage:PostgresOwner=Host=127.0.0.1")]
    [InlineData("Storage:PostgresRolePrefix", "Storage:Engine=Postgres", "Storage:Postgres=Host=127.0.0.1", "Storage:PostgresRolePrefix=Bad-Prefix")]
    [InlineData("Storage:Engine", "Storage:Engine=7")]
    public async Task Bad_postgres_settings_fail_at_start_naming_the_setting(string setting, params string[] settings)
    {
        using var data = new TempFolder();
        string[] args = ["--urls=http://127.0.0.1:0", $"--Storage:DataDirectory={data.Path}", .. settings.Select(s => "--" + s)];

        // Building the app may already resolve the stores (the redirect endpoint does), so either step may refuse.
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = Program.BuildApp(args);
            await app.StartAsync();
        });

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }
}
