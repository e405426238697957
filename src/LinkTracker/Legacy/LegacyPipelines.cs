using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LinkTracker.Legacy;

/// <summary>
/// The Polly pipeline "legacy-fallback", one instance per tenant so one tenant's failing legacy system opens only its
/// own breaker: a concurrency limit (no queue: a request over it is refused at once), a circuit breaker counting
/// 5xx answers, timeouts and connection failures, and the timeout.
/// </summary>
public sealed class LegacyPipelines(IOptions<LegacyOptions> options, IServiceProvider services)
{
    public const string Name = "legacy-fallback";

    private readonly ConcurrentDictionary<string, Lazy<ResiliencePipeline<HttpResponseMessage>>> _pipelines = new(StringComparer.Ordinal);

    // Tests give the pipeline a clock of its own (keyed "legacy-fallback") to open and close breakers without waiting.
    private readonly TimeProvider _time = services.GetKeyedService<TimeProvider>(Name) ?? services.GetRequiredService<TimeProvider>();

    public ResiliencePipeline<HttpResponseMessage> For(string tenant) =>
        _pipelines.GetOrAdd(tenant, t => new Lazy<ResiliencePipeline<HttpResponseMessage>>(() => Build(t))).Value;

    /// <summary>Whether a failure of the legacy system (not a refusal of ours) ended the call.</summary>
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { StatusCode: >= System.Net.HttpStatusCode.InternalServerError };

    private ResiliencePipeline<HttpResponseMessage> Build(string tenant)
    {
        var o = options.Value;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { Name = Name, InstanceName = tenant, TimeProvider = _time }
            .AddConcurrencyLimiter(o.MaxConcurrentPerTenant, queueLimit: 0)
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            })
            .AddTimeout(o.Timeout)
            .Build();
    }
}
