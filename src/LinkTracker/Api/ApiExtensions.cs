using System.Text.Json.Serialization;
using LinkTracker.Distributed;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;

namespace LinkTracker.Api;

public static class ApiExtensions
{
    /// <summary>Largest request body accepted: a batch of 1,000 links with long destinations fits.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>Longest request line: a redirect with a long r= (dropped and flagged) still redirects instead of a 414.</summary>
    public const int MaxRequestLineBytes = 16 * 1024;

    /// <summary>Problem details for every error, JSON conventions, body limits, API key authentication, rate limits and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Cursors>();
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // No default scheme, ever: each route group names its own, so redirects never run an authentication handler.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        var authentication = builder.Services.AddAuthentication();
        if (builder.Roles().Has(NodeRoles.Api))
        {
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthentication.Scheme, null);
        }

        builder.Services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthentication.TenantClaim));
        builder.Services.AddSingleton<UnauthenticatedThrottle>();
        builder.Services.AddRateLimiter(TenantRateLimits.Configure);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.Limits.MaxRequestLineSize = MaxRequestLineBytes;
            o.AddServerHeader = false; // no product banner for scanners
        });
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "LinkTracker tenant API";
                document.Info.Description = "Call it on your tenant's host with 'Authorization: Bearer <key>'.";
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer<SecuritySchemesTransformer>();
            o.AddOperationTransformer<SecuritySchemesTransformer>();
        });
        return builder;
    }

    /// <summary>The tenant API group: host → tenant, bearer key of that tenant (checked before the body is read), its rate limit.</summary>
    public static RouteGroupBuilder MapTenantApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api").RequireAuthorization(ApiKeyAuthentication.Policy).RequireRateLimiting(TenantRateLimits.Policy);
}
