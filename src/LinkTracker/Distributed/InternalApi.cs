using System.Security.Cryptography;
using System.Text;
using LinkTracker.Core.Links;
using LinkTracker.Legacy;
using LinkTracker.Links;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinkTracker.Distributed;

/// <summary>
/// What an edge node may ask an api node (ADR 0006): the tenant list and single links, read-only, with the shared
/// internal token. Edges thus redirect without tenant database credentials.
/// </summary>
public static class InternalApi
{
    public const string Prefix = "/internal";

    public static IEndpointRouteBuilder MapInternalApi(this IEndpointRouteBuilder app)
    {
        var token = app.ServiceProvider.GetRequiredService<IOptions<InternalOptions>>().Value.Token;
        if (string.IsNullOrEmpty(token))
        {
            return app; // No edges without the api role here.
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var group = app.MapGroup(Prefix).ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
            Authorized(context.HttpContext.Request, expected)
                ? await next(context)
                : TypedResults.Problem(
                    "This endpoint is for LinkTracker edge nodes: send Authorization: Bearer <Internal:Token>.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Internal token missing or wrong"));
        group.MapGet("/tenants", ListTenantsAsync);
        group.MapGet("/links/{tenant}/{code}", FindLinkAsync);
        group.MapLegacyInternalApi();
        group.MapGet("/signing-keys", ListSigningKeysAsync); // ADR 26: the edges' key ring
        return app;
    }

    public static async Task<Ok<IReadOnlyList<Core.Tenants.Tenant>>> ListTenantsAsync(ITenantSource tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.ListTenantsAsync(cancellationToken));

    public static async Task<Ok<IReadOnlyList<SignedLinks.SigningKey>>> ListSigningKeysAsync(
        SignedLinks.CatalogSigningKeySource keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListSigningKeysAsync(cancellationToken));

    /// <summary>Always 200: a missing link is an answer the edge caches (negatively) too.</summary>
    public static async Task<Ok<SharedLink>> FindLinkAsync(string tenant, string code, ILinkLookup links, CancellationToken cancellationToken) =>
        TypedResults.Ok(await links.FindAsync(tenant, code, cancellationToken));

    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
