using LinkTracker.Core.Common;
using LinkTracker.Core.Segments;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Tenants;

/// <summary>What the CLI does to tenants and keys: the operator's side, never reachable over HTTP.</summary>
public sealed class TenantAdmin(ICatalogStore catalog, ITenantProvisioner provisioner, IRecipientIndex recipientIndex, TimeProvider time)
{
    public sealed record Created(Tenant Tenant, string ApiKey, string KeyId);

    /// <exception cref="TenantAdminException">The slug is invalid or taken.</exception>
    public async Task<Created> AddTenantAsync(string slug, string? name, CancellationToken cancellationToken)
    {
        if (TenantSlug.Validate(slug) is { } problem)
        {
            throw new TenantAdminException(problem);
        }

        await catalog.MigrateAsync(cancellationToken);
        // Storage first: a tenant in the catalog always has its database.
        await provisioner.ProvisionAsync(slug, cancellationToken);
        var tenant = new Tenant(slug, string.IsNullOrWhiteSpace(name) ? slug : name.Trim(), time.GetUtcNow());
        if (!await catalog.AddTenantAsync(tenant, cancellationToken))
        {
            throw new TenantAdminException($"A tenant '{slug}' already exists.");
        }

        var (token, id) = await CreateKeyAsync(slug, "initial", cancellationToken);
        return new Created(tenant, token, id);
    }

    /// <summary>
    /// Upgrades the catalog, then each tenant's storage (all, or only <paramref name="only"/> for a canary). Each
    /// tenant records its own version, so a run stopped half-way resumes where it stopped when started again.
    /// </summary>
    /// <returns>Per tenant, null when it is up to date, else why it could not be upgraded (the others go on).</returns>
    public async Task<IReadOnlyList<(string Tenant, string? Problem)>> MigrateAsync(
        IReadOnlyCollection<string> only, Action<string, int, int>? progress, CancellationToken cancellationToken)
    {
        var tenants = (await ListTenantsAsync(cancellationToken)).Select(t => t.Slug).ToList();
        if (only.FirstOrDefault(t => !tenants.Contains(t)) is { } unknown)
        {
            throw new TenantAdminException($"There is no tenant '{unknown}'. See 'linktracker tenants list'.");
        }

        var targets = only.Count == 0 ? tenants : [.. tenants.Where(only.Contains)];
        var results = new List<(string, string?)>();
        for (var i = 0; i < targets.Count; i++)
        {
            progress?.Invoke(targets[i], i + 1, targets.Count);
            try
            {
                await provisioner.ProvisionAsync(targets[i], cancellationToken);
                results.Add((targets[i], null));
            }
            catch (Exception ex) when (ex is SchemaTooNewException or InvalidOperationException or IOException)
            {
                results.Add((targets[i], ex.Message));
            }
        }

        return results;
    }

    /// <summary>Gives the tenant's own database login a new password (PostgreSQL); running services pick it up by themselves.</summary>
    /// <exception cref="TenantAdminException">No such tenant, or the engine has no per-tenant credential.</exception>
    public async Task RotateCredentialsAsync(string tenant, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        if (!await provisioner.RotateCredentialsAsync(tenant, cancellationToken))
        {
            throw new TenantAdminException("The embedded engine (SQLite) has no per-tenant database credential to rotate: each tenant is a file of the data folder.");
        }
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        await catalog.MigrateAsync(cancellationToken);
        return await catalog.ListTenantsAsync(cancellationToken);
    }

    /// <returns>The key, shown once, and its id (for revoking).</returns>
    public async Task<(string Token, string Id)> CreateKeyAsync(string tenant, string? label, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        var (id, token, hash) = ApiKeys.Generate();
        await catalog.AddApiKeyAsync(new ApiKey(id, tenant, hash, label, time.GetUtcNow(), null), cancellationToken);
        return (token, id);
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(string tenant, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        return await catalog.ListApiKeysAsync(tenant, cancellationToken);
    }

    public async Task<bool> RevokeKeyAsync(string tenant, string keyIdOrToken, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        var id = keyIdOrToken;
        if (ApiKeys.TryParse(keyIdOrToken, out var secretHash, out var legacyId))
        {
            // Revoking by the token itself: its id is found by the secret's hash (ids are not part of tokens).
            var key = await catalog.FindApiKeyAsync(secretHash, legacyId, cancellationToken);
            if (key is null || key.Tenant != tenant)
            {
                return false;
            }

            id = key.Id;
        }

        return await catalog.RevokeApiKeyAsync(tenant, id, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Builds the index of the tenant's clicks by recipient (ADR 31): its "at least N clicks" segments get faster, every
    /// click it gets costs the writer more. Safe to run again; finishes an interrupted build.
    /// </summary>
    /// <exception cref="TenantAdminException">No such tenant.</exception>
    public async Task BuildRecipientIndexAsync(string tenant, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        await recipientIndex.BuildAsync(tenant, cancellationToken);
    }

    /// <returns>false when the tenant had no recipient index.</returns>
    /// <exception cref="TenantAdminException">No such tenant.</exception>
    public async Task<bool> DropRecipientIndexAsync(string tenant, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        return await recipientIndex.DropAsync(tenant, cancellationToken);
    }

    /// <exception cref="TenantAdminException">No such tenant.</exception>
    public async Task<bool> HasRecipientIndexAsync(string tenant, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        return await recipientIndex.ExistsAsync(tenant, cancellationToken);
    }

    private async Task RequireTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var tenants = await ListTenantsAsync(cancellationToken);
        if (!tenants.Any(t => t.Slug == tenant))
        {
            throw new TenantAdminException($"There is no tenant '{tenant}'. See 'linktracker tenants list'.");
        }
    }
}
