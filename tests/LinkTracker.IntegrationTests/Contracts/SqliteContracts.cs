using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;
using LinkTracker.Core.Reports;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Contracts;

public sealed class SqliteClickStoreTests : ClickStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override async Task<(ILinkStore, IClickStore, IStatsStore)> CreateAsync(string tenant)
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync(tenant, CancellationToken.None);
        return (new SqliteLinkStore(databases), new SqliteClickStore(databases), new SqliteStatsStore(databases));
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteClickJournalTests : ClickJournalContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override async Task<IClickJournal> CreateAsync()
    {
        var journal = new SqliteClickJournal(new SqliteDatabases(_folder.Path));
        await journal.MigrateAsync(CancellationToken.None);
        return journal;
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteLinkStoreTests : LinkStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override async Task<ILinkStore> CreateAsync(string tenant)
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync(tenant, CancellationToken.None);
        return new SqliteLinkStore(databases);
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteReportStoreTests : ReportStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override async Task<(ILinkStore, IClickStore, IReportStore)> CreateAsync(string tenant)
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync(tenant, CancellationToken.None);
        return (new SqliteLinkStore(databases), new SqliteClickStore(databases), new SqliteReportStore(databases));
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteSegmentStoreContractTests : SegmentStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override async Task<ISegmentStore> CreateAsync(string tenant)
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync(tenant, CancellationToken.None);
        return new SqliteSegmentStore(databases);
    }

    public void Dispose() => _folder.Dispose();
}
