using System.Collections.Frozen;

namespace LinkTracker.SignedLinks;

/// <summary>
/// Every tenant's signing keys in memory, for the redirect path: a redirect of a signed link reads nothing else, so an
/// edge keeps verifying with its api nodes, the database and Redis all down (ADR 26). Reloaded periodically
/// (<see cref="SigningKeyRefresher"/>) and, at most once a second, when a token names a key id not held yet.
/// </summary>
public sealed class SigningKeyRing(ISigningKeySource source, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan MinimumReloadInterval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private FrozenDictionary<string, FrozenDictionary<string, byte[]>> _keys = FrozenDictionary<string, FrozenDictionary<string, byte[]>>.Empty;
    private long _lastAttempt = long.MinValue;

    /// <summary>How many keys are held, over all tenants.</summary>
    public int Count { get; private set; }

    /// <summary>The secret of key <paramref name="id"/> of <paramref name="tenant"/>, or null.</summary>
    public byte[]? Find(string tenant, string id) =>
        _keys.TryGetValue(tenant, out var keys) && keys.TryGetValue(id, out var secret) ? secret : null;

    /// <summary>
    /// Like <see cref="Find"/>, but on an unknown id reloads first when the last reload began more than a second ago (a key
    /// created moments ago on an api node). Concurrent callers do not wait for one another; a failed reload finds nothing.
    /// </summary>
    public async ValueTask<byte[]?> FindOrReloadAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        if (Find(tenant, id) is { } secret)
        {
            return secret;
        }

        var last = Interlocked.Read(ref _lastAttempt);
        if ((last != long.MinValue && time.GetElapsedTime(last) < MinimumReloadInterval) || !await _reload.WaitAsync(0, cancellationToken))
        {
            return null;
        }

        try
        {
            await ReloadLockedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null; // the source is down: the keys held stay in use
        }
        finally
        {
            _reload.Release();
        }

        return Find(tenant, id);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            await ReloadLockedAsync(cancellationToken);
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();

    private async Task ReloadLockedAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastAttempt, time.GetTimestamp());
        var keys = await source.ListSigningKeysAsync(cancellationToken);
        _keys = keys.GroupBy(k => k.Tenant, StringComparer.OrdinalIgnoreCase).ToFrozenDictionary(
            g => g.Key, g => g.ToFrozenDictionary(k => k.Id, k => k.Secret, StringComparer.Ordinal), StringComparer.OrdinalIgnoreCase);
        Count = keys.Count;
    }
}
