using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Segments;
using LinkTracker.Jobs;
using LinkTracker.Webhooks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Segments;

/// <summary>
/// Takes the tenant's queued segment runs one at a time (the store allows one running run per tenant) until none is
/// left: checks the cost again, runs the query under the time limit, stores the recipients, and records the outcome
/// with its timing. A refused or timed-out run ends failed with the reason; the job itself succeeds.
/// </summary>
public sealed partial class SegmentRunJobHandler(
    ISegmentStore store,
    IRecipientIndex recipientIndex,
    SegmentCost cost,
    IOptions<SegmentsOptions> options,
    IEnumerable<ISegmentRunObserver> observers,
    SegmentWebhooks webhooks,
    TimeProvider time,
    ILogger<SegmentRunJobHandler> logger) : IJobHandler
{
    private readonly SegmentsOptions _options = options.Value;

    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A segment run job names its tenant; this one names none.");
        while (true)
        {
            var now = SegmentsApi.Now(time);
            if (await store.StartNextRunAsync(tenant, now, now + _options.RunLease, cancellationToken) is not { } run)
            {
                return; // none queued, or another worker holds the tenant's run and takes the queued ones after it
            }

            await RunOneAsync(tenant, run, cancellationToken);
        }
    }

    private async Task RunOneAsync(string tenant, SegmentRun run, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var asOf = SegmentsApi.Now(time);
        long rows = 0;
        long? recipients = null;
        string? error = null;
        var shape = "?";
        try
        {
            using var json = JsonDocument.Parse(run.Filter);
            var filter = SegmentFilterParser.Parse(json.RootElement).Filter
                ?? throw new InvalidOperationException("The run's filter no longer validates; change the segment and ask for a new run.");
            shape = SegmentSql.Shape(filter);
            var estimate = await cost.EstimateAsync(tenant, filter, asOf, cancellationToken);
            rows = estimate.EstimatedRows;
            if (estimate.Allowed)
            {
                var query = SegmentSql.Compile(filter, store.Dialect, asOf);
                if (query.GroupsInRecipientOrder && !await recipientIndex.ExistsAsync(tenant, cancellationToken))
                {
                    shape += IRecipientIndex.MissingShape; // what the doctor and insights read in the slow-operation log
                }

                recipients = await store.StoreRecipientsAsync(tenant, run.Id, query, _options.RunLimits, cancellationToken);
                await webhooks.EnqueueNewRecipientsAsync(tenant, run.SegmentId, run.Id, asOf, cancellationToken); // before the previous run's recipients go
            }
            else
            {
                error = estimate.Message; // the clicks grew since the run was asked for
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The service stops: back to the queue, so the job's retry (after the restart) takes it again.
            await store.FinishRunAsync(tenant, run with { State = SegmentRunState.Queued, StartedAt = null }, CancellationToken.None);
            throw;
        }
        catch (SegmentTimeoutException timeout)
        {
            error = timeout.Message;
        }
        catch (Exception ex)
        {
            LogRunError(logger, ex, tenant, run.SegmentId, run.Id);
            error = $"The run failed ({ex.Message}). Ask for a new run with POST /api/segments/{run.SegmentId}/runs; if it keeps failing, tell the operator.";
        }

        var duration = (long)time.GetElapsedTime(started).TotalMilliseconds;
        var finished = run with
        {
            State = error is null ? SegmentRunState.Completed : SegmentRunState.Failed,
            FinishedAt = SegmentsApi.Now(time),
            AsOf = error is null ? asOf : null,
            Recipients = recipients,
            RowsRead = rows,
            DurationMs = duration,
            Error = error,
        };
        await store.FinishRunAsync(tenant, finished, cancellationToken);
        LogRunFinished(logger, tenant, run.SegmentId, run.Id, finished.State, shape, duration, rows, recipients);
        var timing = new SegmentRunTiming(tenant, run.SegmentId, run.Id, shape, finished.State, duration, rows, recipients);
        foreach (var observer in observers)
        {
            observer.RunFinished(timing);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Segment run {RunId} of segment {SegmentId} of tenant {Tenant} {State} in {DurationMs} ms: filter {Shape}, ~{RowsRead} rows read, {Recipients} recipients")]
    private static partial void LogRunFinished(ILogger logger, string tenant, string segmentId, string runId, string state, string shape, long durationMs, long rowsRead, long? recipients);

    [LoggerMessage(Level = LogLevel.Error, Message = "Segment run {RunId} of segment {SegmentId} of tenant {Tenant} failed")]
    private static partial void LogRunError(ILogger logger, Exception exception, string tenant, string segmentId, string runId);
}
