using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>
/// Lets a test add services to the host that <c>Program.BuildApp</c> builds, without a hook in production code: the
/// hosting library announces every host it builds on the "Microsoft.Extensions.Hosting" diagnostic listener (as
/// WebApplicationFactory relies on), and the announcement runs on the building thread, so an AsyncLocal picks the test.
/// </summary>
internal static class HostBuildingHook
{
    private static readonly AsyncLocal<Action<IServiceCollection>?> Current = new();
    private static readonly Lazy<IDisposable> Subscription = new(() => DiagnosticListener.AllListeners.Subscribe(new ListenerObserver()));

    /// <summary>Runs <paramref name="build"/> with <paramref name="configure"/> applied to the services of the host it builds.</summary>
    public static T Build<T>(Action<IServiceCollection> configure, Func<T> build)
    {
        _ = Subscription.Value;
        Current.Value = configure;
        try
        {
            return build();
        }
        finally
        {
            Current.Value = null;
        }
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(new EventObserver());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class EventObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilding" && value.Value is IHostBuilder builder && Current.Value is { } configure)
            {
                builder.ConfigureServices((_, services) => configure(services));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
