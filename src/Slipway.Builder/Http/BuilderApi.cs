using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Builder.Queue;
using Slipway.Builder.Store;

namespace Slipway.Builder.Http;

/// <summary>
/// The read-only HTTP API the dashboard reads (contract: docs, camelCase JSON from PostgreSQL):
/// GET /healthz, GET /api/builds?tenant=&amp;service=&amp;status=&amp;limit=, GET /api/builds/{id}, GET /api/versions/{tenant}/{service}.
/// </summary>
public static class BuilderApi
{
    private static readonly string[] Statuses = [BuildStatus.Queued, BuildStatus.Running, BuildStatus.Succeeded, BuildStatus.Failed];

    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", async (BuildStore store, BuildWorker worker, CancellationToken ct) =>
        {
            var reasons = new List<string>();
            if (!await store.PingAsync(ct)) reasons.Add("PostgreSQL is unreachable");
            if (!worker.Connected) reasons.Add("RabbitMQ is unreachable");
            return reasons.Count == 0
                ? Results.Json(new { status = "ok" })
                : Results.Json(new { status = "unavailable", reason = string.Join("; ", reasons) }, statusCode: 503);
        });
        app.MapGet("/api/builds", async (BuildStore store, string? tenant, string? service, string? status, int? limit, CancellationToken ct) =>
        {
            if (status is not null && !Statuses.Contains(status))
                return Results.Json(new { error = $"status '{status}' is not one of {string.Join(", ", Statuses)}" }, statusCode: 400);
            return Results.Json(await store.ListAsync(Empty(tenant), Empty(service), status, limit ?? 100, ct));
        });
        app.MapGet("/api/builds/{id}", async (BuildStore store, string id, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } build ? Results.Json(build) : Results.Json(new { error = $"no build '{id}'" }, statusCode: 404));
        app.MapGet("/api/versions/{tenant}/{service}", async (BuildStore store, string tenant, string service, CancellationToken ct) =>
            Results.Json((await store.VersionsAsync(tenant, service, ct)).Select(v => new { v.Version, v.Digest, v.Commit, v.Image, v.CreatedAt, v.Latest })));
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
