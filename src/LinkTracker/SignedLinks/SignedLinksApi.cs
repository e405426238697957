using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.SignedLinks;

/// <summary>Signing keys and signed links (ADR 26): short URLs that carry their destination, redirected without the link table.</summary>
public static class SignedLinksApi
{
    public static RouteGroupBuilder MapSignedLinksApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/signing-keys").WithTags("Signed links");
        keys.MapPost("/", CreateKeyAsync).WithSummary("Create a signing key; it signs from now on, older keys keep verifying until deleted");
        keys.MapGet("/", ListKeysAsync).WithSummary("List signing keys (ids, creation time, which one signs), never their secrets");
        keys.MapDelete("/{kid}", DeleteKeyAsync).WithSummary("Delete a signing key: links signed with it stop redirecting");

        var links = api.MapGroup("/signed-links").WithTags("Signed links");
        links.MapPost("/", SignAsync).WithSummary("Sign a link: a short URL carrying its destination, no link stored");
        links.MapPost("/batch", SignBatchAsync).WithSummary("Sign up to 1,000 links at once, all or none");
        return api;
    }

    public static async Task<Created<SigningKeyResponse>> CreateKeyAsync(TenantContext tenant, SigningKeys keys, CancellationToken cancellationToken)
    {
        var key = await keys.CreateAsync(tenant.Slug, cancellationToken);
        return TypedResults.Created("/api/signing-keys", key);
    }

    public static async Task<Ok<SigningKeyListResponse>> ListKeysAsync(TenantContext tenant, SigningKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SigningKeyListResponse(await keys.ListAsync(tenant.Slug, cancellationToken)));

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteKeyAsync(
        string kid, TenantContext tenant, SigningKeys keys, CancellationToken cancellationToken) =>
        await keys.DeleteAsync(tenant.Slug, kid, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Signing key not found",
                detail: $"This tenant has no signing key '{kid}'. List its keys with GET /api/signing-keys.");

    public static async Task<Results<Ok<SignedLinkResponse>, ValidationProblem, ProblemHttpResult>> SignAsync(
        SignLinkRequest request, TenantContext tenant, SigningKeys keys, HttpRequest http, CancellationToken cancellationToken)
    {
        var outcome = await keys.SignAsync(tenant.Slug, [request], batch: false, Base(http), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Links[0]) : Failed<Ok<SignedLinkResponse>>(outcome);
    }

    public static async Task<Results<Ok<SignedLinkBatchResponse>, ValidationProblem, ProblemHttpResult>> SignBatchAsync(
        SignLinksBatchRequest request, TenantContext tenant, SigningKeys keys, HttpRequest http, CancellationToken cancellationToken)
    {
        if (request.Links is not { Count: > 0 and <= SigningKeys.MaxBatch })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["links"] = [$"links is an array of 1 to {SigningKeys.MaxBatch} links; split larger mailings into several calls."],
            });
        }

        var outcome = await keys.SignAsync(tenant.Slug, request.Links, batch: true, Base(http), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(new SignedLinkBatchResponse(outcome.Links)) : Failed<Ok<SignedLinkBatchResponse>>(outcome);
    }

    private static string Base(HttpRequest http) => $"{http.Scheme}://{http.Host}";

    private static Results<T, ValidationProblem, ProblemHttpResult> Failed<T>(SignOutcome outcome)
        where T : IResult =>
        outcome.NoKey
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "No signing key",
                detail: "This tenant has no signing key yet: create one with POST /api/signing-keys, then sign again.")
            : TypedResults.ValidationProblem(outcome.Errors);
}
