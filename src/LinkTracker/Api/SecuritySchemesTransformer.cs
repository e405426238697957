using LinkTracker.Runbook;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LinkTracker.Api;

/// <summary>Declares the tenant API key and the operator token in the OpenAPI document, and which operations need which.</summary>
internal sealed class SecuritySchemesTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string OpsScheme = "OpsToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthentication.Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A tenant API key (lt_...), valid only on its own tenant's host. Create one with 'linktracker keys create --tenant <slug>'.",
        };
        document.Components.SecuritySchemes[OpsScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = OpsAuthentication.Header,
            Description = "The operator token (Ops:Token, or the ops-token file in the data folder); 'Authorization: Bearer' works too.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
        var scheme = policies.Contains(ApiKeyAuthentication.Policy) ? ApiKeyAuthentication.Scheme
            : policies.Contains(OpsAuthentication.Policy) ? OpsScheme
            : null;
        if (scheme is not null)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
        }

        return Task.CompletedTask;
    }
}
