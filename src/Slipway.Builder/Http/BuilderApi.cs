using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Builder.Queue;
using Slipway.Builder.Store;

namespace Slipway.Builder.Http;

/// <summary>
/// The read-only HTTP API the dashboard reads (contract: docs, camelCase JSON from PostgreSQL):
/// GET /healthz, GET /api/builds?tenant=&amp;service=&amp;status=&amp;limit=, GET /api/builds/{id}, GET /api/versions/{tenant}/{service}.
/// Everything under /api needs <c>Authorization: Bearer TOKEN</c> (401 otherwise); a token scoped to a tenant
/// sees only that tenant's builds and versions (another tenant's build is 404, as if it did not exist).
/// /healthz stays open for probes and says only ok or what is down.
/// </summary>
public static class BuilderApi
{
    private static readonly string[] Statuses = [BuildStatus.Queued, BuildStatus.Running, BuildStatus.Succeeded, BuildStatus.Failed];

    public static void Map(WebApplication app, ApiTokens tokens)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                if (tokens.Authenticate(context.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null) is not { } caller)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Results.Json(new { error = "a bearer token is required: send Authorization: Bearer TOKEN (one of the worker's --api-token / --api-token-file tokens)" }, statusCode: 401).ExecuteAsync(context);
                    return;
                }
                context.Items[typeof(ApiTokens.Caller)] = caller;
            }
            await next(context);
        });
        app.MapGet("/healthz", async (BuildStore store, BuildWorker worker, CancellationToken ct) =>
        {
            var reasons = new List<string>();
            if (!await store.PingAsync(ct)) reasons.Add("PostgreSQL is unreachable");
            reasons.AddRange(worker.Problems());
            return reasons.Count == 0
                ? Results.Json(new { status = "ok" })
                : Results.Json(new { status = "unavailable", reason = string.Join("; ", reasons) }, statusCode: 503);
        });
        app.MapGet("/api/builds", async (HttpContext context, BuildStore store, string? tenant, string? service, string? status, int? limit, CancellationToken ct) =>
        {
            if (status is not null && !Statuses.Contains(status))
                return Results.Json(new { error = $"status '{status}' is not one of {string.Join(", ", Statuses)}" }, statusCode: 400);
            var scope = Scope(context);
            // A tenant token lists its own tenant's builds; asking for another tenant's is an empty list.
            if (scope is not null && Empty(tenant) is { } asked && asked != scope) return Results.Json(Array.Empty<BuildRecord>());
            return Results.Json(await store.ListAsync(scope ?? Empty(tenant), Empty(service), status, limit ?? 100, ct));
        });
        app.MapGet("/api/builds/{id}", async (HttpContext context, BuildStore store, string id, CancellationToken ct) =>
            await store.GetAsync(id, Scope(context), ct) is { } build ? Results.Json(build) : Results.Json(new { error = $"no build '{id}'" }, statusCode: 404));
        app.MapGet("/api/versions/{tenant}/{service}", async (HttpContext context, BuildStore store, string tenant, string service, CancellationToken ct) =>
            Scope(context) is { } scope && scope != tenant
                ? Results.Json(new { error = $"no versions of {tenant}/{service}" }, statusCode: 404)
                : Results.Json((await store.VersionsAsync(tenant, service, ct)).Select(v => new { v.Version, v.Digest, v.Commit, v.Image, v.CreatedAt, v.Latest })));
    }

    /// <summary>The tenant the caller's token is limited to; null for an all-tenant token.</summary>
    private static string? Scope(HttpContext context) => (context.Items[typeof(ApiTokens.Caller)] as ApiTokens.Caller)?.Tenant;

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
