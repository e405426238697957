using LinkTracker.Api;
using LinkTracker.RabbitMq.Clicks;
using LinkTracker.Runbook;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Clicks;

/// <summary>
/// Click messages in the broker's dead-letter queue, for operators (base domain only): list, redrive to their tenant's
/// queue, purge. Only with the broker (RabbitMq:Uri); the embedded deployment keeps what it cannot read in the journal.
/// </summary>
public static class DeadClicksApi
{
    public static IEndpointRouteBuilder MapDeadClicksApi(this IEndpointRouteBuilder app)
    {
        var dead = app.MapOpsGroup("/ops/clicks/dead").WithTags("Clicks").AddEndpointFilter(BrokerFailuresAsync);
        dead.MapGet("", ListAsync).WithSummary("Click messages no writer could read, oldest first: tenant, reason, size, format version, first bytes");
        dead.MapGet("/{id}", GetAsync).WithSummary("One click dead letter");
        dead.MapPost("/{id}/redrive", RedriveAsync).WithSummary("Send one click dead letter back to its tenant's queue");
        dead.MapPost("/redrive", RedriveAllAsync).WithSummary("Send every click dead letter back to its tenant's queue");
        dead.MapDelete("", PurgeAsync).WithSummary("Delete every click dead letter");
        return app;
    }

    public static async Task<Results<Ok<DeadClicksResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        [FromServices] ClickDeadLetters? deadLetters, CancellationToken cancellationToken, int? limit = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        if (deadLetters is null)
        {
            return NoBroker();
        }

        var (total, items) = await deadLetters.ListAsync(pageSize, cancellationToken);
        return TypedResults.Ok(new DeadClicksResponse(total, items));
    }

    public static async Task<Results<Ok<DeadClickMessage>, ProblemHttpResult>> GetAsync(
        string id, [FromServices] ClickDeadLetters? deadLetters, CancellationToken cancellationToken) =>
        deadLetters is null ? NoBroker()
        : await deadLetters.GetAsync(id, cancellationToken) is { } dead ? TypedResults.Ok(dead)
        : NotFound(id);

    public static async Task<Results<Ok<DeadClicksChangedResponse>, ProblemHttpResult>> RedriveAsync(
        string id, [FromServices] ClickDeadLetters? deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters is null)
        {
            return NoBroker();
        }

        var (redriven, kept) = await deadLetters.RedriveAsync(id, cancellationToken);
        return (redriven, kept) switch
        {
            (0, 0) => NotFound(id),
            (0, _) => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Tenant of origin unknown",
                detail: $"Dead letter '{id}' says neither which tenant's queue it came from nor, readably, whose clicks it holds; it stays in the dead queue. Purge it, or publish its body to the right <prefix>.clicks.t.<tenant> queue yourself."),
            _ => TypedResults.Ok(new DeadClicksChangedResponse(redriven, kept)),
        };
    }

    public static async Task<Results<Ok<DeadClicksChangedResponse>, ProblemHttpResult>> RedriveAllAsync(
        [FromServices] ClickDeadLetters? deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters is null)
        {
            return NoBroker();
        }

        var (redriven, kept) = await deadLetters.RedriveAsync(null, cancellationToken);
        return TypedResults.Ok(new DeadClicksChangedResponse(redriven, kept));
    }

    public static async Task<Results<Ok<DeadClicksChangedResponse>, ProblemHttpResult>> PurgeAsync(
        [FromServices] ClickDeadLetters? deadLetters, CancellationToken cancellationToken) =>
        deadLetters is null ? NoBroker() : TypedResults.Ok(new DeadClicksChangedResponse((int)await deadLetters.PurgeAsync(cancellationToken), 0));

    /// <summary>The broker down or refusing: a problem the operator can act on, not a 500.</summary>
    private static async ValueTask<object?> BrokerFailuresAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (ClickDeadLetters.IsBrokerFailure(e))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Message broker unavailable",
                detail: $"RabbitMQ did not answer or refused the operation ({e.Message}). A pass under way stopped where it was and every message is still in a queue; list the dead letters again once the broker is back.");
        }
    }

    private static ProblemHttpResult NoBroker() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No click broker",
        detail: "This LinkTracker has no RabbitMq:Uri, so clicks never leave its journal and there are no click dead letters. Journal records it cannot read are kept in their segment files (runbook: 'Click format versions').");

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Dead letter not found",
        detail: $"No click dead letter has the id '{id}'. It may have been redriven or purged; list them with GET /ops/clicks/dead.");
}
