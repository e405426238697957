using LinkTracker.Core.Links;
using LinkTracker.Links;

namespace LinkTracker.Tests.Links;

/// <summary>
/// A store, a shared cache with generations and confirmed broadcasts, and the network between them and the nodes'
/// caches: every read is a step that completes only when the test releases it, so a test chooses the interleaving.
/// </summary>
internal sealed class LinkCacheWorld
{
    private readonly List<Action> _steps = [];
    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Code, int Version), bool> _exists = [];
    private readonly Dictionary<string, SharedLink> _shared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly List<Action<string, string>> _subscribers = [];

    public int PendingSteps => _steps.Count;

    public int Version(string code) => _versions.GetValueOrDefault(code);

    public bool ExistsAt(string code, int version) => _exists.GetValueOrDefault((code, version));

    public static string Destination(string code, int version) => $"https://example.com/{code}/v{version}";

    /// <summary>A change through the API: the store first, then the caller invalidates.</summary>
    public int Change(string code, bool exists)
    {
        var version = Version(code) + 1;
        _versions[code] = version;
        _exists[(code, version)] = exists;
        return version;
    }

    public void Release(int index)
    {
        var step = _steps[index % _steps.Count];
        _steps.RemoveAt(index % _steps.Count);
        step();
    }

    public ILinkLookup Lookup() => new StoreSide(this);

    public ISharedLinkCache Shared() => new SharedSide(this);

    private SharedLink Read(string code)
    {
        var version = Version(code);
        return ExistsAt(code, version) ? new SharedLink(true, Destination(code, version), null, false) : SharedLink.Missing;
    }

    /// <summary>The store is read when asked; the answer arrives when released.</summary>
    private sealed class StoreSide(LinkCacheWorld world) : ILinkLookup
    {
        public Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken)
        {
            var value = world.Read(code);
            var answer = new TaskCompletionSource<SharedLink>();
            world._steps.Add(() => answer.SetResult(value));
            return answer.Task;
        }
    }

    /// <summary>Reads happen when released; a conditional store and an invalidation are atomic, as Redis runs them.</summary>
    private sealed class SharedSide(LinkCacheWorld world) : ISharedLinkCache
    {
        public Task<SharedLinkRead> GetAsync(string tenant, string code, CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource<SharedLinkRead>();
            world._steps.Add(() => answer.SetResult(new SharedLinkRead(world._shared.GetValueOrDefault(code), world._generations.GetValueOrDefault(code))));
            return answer.Task;
        }

        public Task<bool> SetAsync(string tenant, string code, SharedLink link, long generation, TimeSpan timeToLive, CancellationToken cancellationToken)
        {
            if (world._generations.GetValueOrDefault(code) != generation)
            {
                return Task.FromResult(false);
            }

            world._shared[code] = link;
            return Task.FromResult(true);
        }

        public Task<bool> InvalidateAsync(string tenant, string code, CancellationToken cancellationToken)
        {
            world._generations[code] = world._generations.GetValueOrDefault(code) + 1;
            world._shared.Remove(code);
            foreach (var subscriber in world._subscribers)
            {
                subscriber(tenant, code);
            }

            return Task.FromResult(true);
        }

        public Task SubscribeAsync(Action<string, string> onInvalidated, CancellationToken cancellationToken)
        {
            world._subscribers.Add(onInvalidated);
            return Task.CompletedTask;
        }

        public void OnConnectionRestored(Action onRestored)
        {
        }

        public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
