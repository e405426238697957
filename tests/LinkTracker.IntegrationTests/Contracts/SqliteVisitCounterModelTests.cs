using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>The embedded deployment's counter: the tenant's SQLite database; a restart opens it again.</summary>
public sealed class SqliteVisitCounterModelTests : VisitCounterModelTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private bool _provisioned;

    protected override string Tenant => "acme";

    protected override async Task<IVisitCounter> StartAsync()
    {
        var databases = new SqliteDatabases(_folder.Path);
        if (!_provisioned)
        {
            await new SqliteTenantProvisioner(databases).ProvisionAsync(Tenant, CancellationToken.None);
            _provisioned = true;
        }

        return new SqliteVisitCounter(databases);
    }

    public void Dispose() => _folder.Dispose();
}
