using LinkTracker.Api;
using LinkTracker.Core.Jobs;
using LinkTracker.Runbook;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Jobs;

/// <summary>The job queue for operators (base domain only): counts, pending jobs, dead letters, redrive and purge.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapOpsGroup("/ops/jobs").WithTags("Jobs");
        jobs.MapGet("", GetJobsAsync).WithSummary("Counts, the first pending jobs and outcomes per job type and tenant");
        jobs.MapGet("/dead", ListDeadAsync).WithSummary("Dead letters, oldest first, with their last error");
        jobs.MapGet("/dead/{id}", GetDeadAsync).WithSummary("One dead letter with its payload and last error");
        jobs.MapPost("/dead/{id}/redrive", RedriveAsync).WithSummary("Put one dead letter back in the queue with fresh attempts");
        jobs.MapPost("/dead/redrive", RedriveAllAsync).WithSummary("Put every dead letter back in the queue");
        jobs.MapDelete("/dead", PurgeAsync).WithSummary("Delete every dead letter");
        return app;
    }

    public static async Task<Results<Ok<JobsStatusResponse>, ValidationProblem>> GetJobsAsync(
        IJobQueue queue, JobMetrics metrics, CancellationToken cancellationToken, int? limit = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        var counts = await queue.CountAsync(cancellationToken);
        var pending = await queue.ListPendingAsync(pageSize, cancellationToken);
        return TypedResults.Ok(new JobsStatusResponse(counts.Waiting, counts.Leased, counts.Dead, pending, metrics.Snapshot()));
    }

    public static async Task<Results<Ok<DeadJobsResponse>, ValidationProblem>> ListDeadAsync(
        IJobQueue queue, CancellationToken cancellationToken, int? limit = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        var counts = await queue.CountAsync(cancellationToken);
        return TypedResults.Ok(new DeadJobsResponse(counts.Dead, await queue.ListDeadAsync(pageSize, cancellationToken)));
    }

    public static async Task<Results<Ok<DeadJob>, ProblemHttpResult>> GetDeadAsync(string id, IJobQueue queue, CancellationToken cancellationToken) =>
        await queue.GetDeadAsync(id, cancellationToken) is { } dead ? TypedResults.Ok(dead) : DeadJobNotFound(id);

    public static async Task<Results<Ok<JobsChangedResponse>, ProblemHttpResult>> RedriveAsync(string id, IJobQueue queue, CancellationToken cancellationToken) =>
        await queue.RedriveAsync(id, cancellationToken) ? TypedResults.Ok(new JobsChangedResponse(1)) : DeadJobNotFound(id);

    public static async Task<Ok<JobsChangedResponse>> RedriveAllAsync(IJobQueue queue, CancellationToken cancellationToken) =>
        TypedResults.Ok(new JobsChangedResponse(await queue.RedriveAllAsync(cancellationToken)));

    public static async Task<Ok<JobsChangedResponse>> PurgeAsync(IJobQueue queue, CancellationToken cancellationToken) =>
        TypedResults.Ok(new JobsChangedResponse(await queue.PurgeDeadAsync(cancellationToken)));

    private static ProblemHttpResult DeadJobNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Dead letter not found",
        detail: $"No dead letter has the id '{id}'. It may have been redriven or purged; list them with GET /ops/jobs/dead.");
}
