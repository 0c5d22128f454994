using Npgsql;
using NpgsqlTypes;
using Slipway.Tooling;

namespace Slipway.Builder.Store;

public static class BuildStatus
{
    public const string Queued = "QUEUED", Running = "RUNNING", Succeeded = "SUCCEEDED", Failed = "FAILED";
}

/// <summary>One build as stored (and as the read-only API shows it).</summary>
public sealed record BuildRecord(
    string Id, string? Tenant, string? Service, string Status, int Attempt, int MaxAttempts, bool Final,
    int? Version, string? Image, string? Digest, string? Commit, string? Ref, string Repo,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long? DurationMs,
    string? FailedStep, string? Error, IReadOnlyList<string> LogTail);

public sealed record VersionRecord(int Version, string Digest, string? Commit, string Image, DateTimeOffset CreatedAt, bool Latest, string BuildId);

/// <summary>Where a build stands when a worker picks up its request.</summary>
public sealed record ClaimResult(BuildRecord Build, VersionRecord? Allocated);

/// <summary>
/// Builds, attempts and tenant versions in PostgreSQL. Version numbers come from a per-(tenant, service) counter row
/// updated in the same transaction that records the version, so concurrent workers serialize on that row: a number
/// is used once, never skipped by a failed build (allocation happens only after the push), and one build gets at
/// most one number (versions.build_id is unique).
/// </summary>
public sealed class BuildStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _data;

    private BuildStore(NpgsqlDataSource data) => _data = data;

    /// <summary>Connects and applies pending migrations.</summary>
    public static async Task<BuildStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder csb;
        try { csb = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e)
        {
            throw new StepFailure("store", FailureClass.Permanent, $"--postgres '{Secrets.Redact(connectionString)}' is not a connection string ({e.Message}); use e.g. 'Host=127.0.0.1;Port=5432;Username=slipway;Database=slipway'");
        }
        if (!string.IsNullOrEmpty(csb.Password)) Secrets.Register(csb.Password);
        var store = new BuildStore(NpgsqlDataSource.Create(csb));
        try { await store.MigrateAsync(cancellationToken); }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            await store.DisposeAsync();
            throw new StepFailure("store", FailureClass.Transient, $"PostgreSQL at {csb.Host}:{csb.Port} is unreachable: {e.Message}");
        }
        return store;
    }

    private async Task MigrateAsync(CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await Exec(conn, "select pg_advisory_xact_lock(7261001)", ct);
        await Exec(conn, "create table if not exists schema_migrations (version int primary key, applied_at timestamptz not null default now())", ct);
        await using var cmd = new NpgsqlCommand("select coalesce(max(version), 0) from schema_migrations", conn);
        var current = (int)(await cmd.ExecuteScalarAsync(ct))!;
        for (var i = current; i < Migrations.Steps.Count; i++)
        {
            await Exec(conn, Migrations.Steps[i], ct);
            await Exec(conn, $"insert into schema_migrations (version) values ({i + 1})", ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await using var conn = await _data.OpenConnectionAsync(ct);
            await Exec(conn, "select 1", ct);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException) { return false; }
    }

    /// <summary>
    /// Records the request the first time it is seen (QUEUED); later calls leave it as it is. Ids are scoped to the
    /// tenant: an id already recorded for another tenant (or for a build without one) is refused with
    /// <see cref="BuildIdTakenException"/>, so nobody is answered with another tenant's build.
    /// </summary>
    public async Task EnsureAsync(string id, string? tenant, string? service, string repo, string? gitRef, int maxAttempts, CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            with ins as (
                insert into builds (id, tenant, service, repo, ref, status, max_attempts) values ($1, $2, $3, $4, $5, 'QUEUED', $6)
                on conflict (id) do nothing returning tenant)
            select (select count(*) from ins) > 0 or exists (select 1 from builds where id = $1 and tenant is not distinct from $2)
            """, conn);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = (object?)tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (object?)service ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = repo });
        cmd.Parameters.Add(new() { Value = (object?)gitRef ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = maxAttempts });
        if (await cmd.ExecuteScalarAsync(ct) is not true)
            throw new BuildIdTakenException($"build id '{id}' is already used{(tenant is null ? "" : $" outside tenant '{tenant}'")}; give each request an id of its own");
    }

    /// <summary>
    /// Marks the build RUNNING for this attempt unless it already succeeded; returns where it stands and, when a
    /// previous (killed) attempt already got a version number, that version so it is reused and not built again.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(string id, int attempt, string worker, CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var upd = new NpgsqlCommand("""
            update builds set status = 'RUNNING', attempt = $2, started_at = coalesce(started_at, now()), final = false,
                   failed_step = null, error = null, log_tail = '{}'
            where id = $1 and status <> 'SUCCEEDED'
            """, conn, tx))
        {
            upd.Parameters.Add(new() { Value = id });
            upd.Parameters.Add(new() { Value = attempt });
            if (await upd.ExecuteNonQueryAsync(ct) == 1)
            {
                await using var att = new NpgsqlCommand("""
                    insert into attempts (build_id, attempt, worker, status) values ($1, $2, $3, 'RUNNING')
                    on conflict (build_id, attempt) do update set worker = excluded.worker, started_at = now(), status = 'RUNNING', finished_at = null
                    """, conn, tx);
                att.Parameters.Add(new() { Value = id });
                att.Parameters.Add(new() { Value = attempt });
                att.Parameters.Add(new() { Value = worker });
                await att.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
        var build = await GetAsync(id, ct) ?? throw new InvalidOperationException($"build {id} vanished");
        return new ClaimResult(build, await VersionOfBuildAsync(id, ct));
    }

    /// <summary>Next number per build: callbacks carry it so a receiver can refuse an older one after a newer.</summary>
    public async Task<long> NextSequenceAsync(string id, CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("update builds set sequence = sequence + 1 where id = $1 returning sequence", conn);
        cmd.Parameters.Add(new() { Value = id });
        return (long)(await cmd.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"build {id} is not stored"));
    }

    /// <summary>
    /// Gives the build its version number (or returns the one it already has): counter row locked, version recorded,
    /// latest moved, all in one transaction.
    /// </summary>
    /// <param name="requested">A version the caller chose (VERSION): taken instead of the next one, refused (permanent) if it exists.</param>
    public async Task<VersionRecord> AllocateVersionAsync(string buildId, string tenant, string service, string digest, string? commit,
        Func<int, string> imageForVersion, CancellationToken ct, int? requested = null)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Lock the counter row first so a second attempt of the same build waits and then sees the first's version.
        await using (var ins = new NpgsqlCommand("insert into services (tenant, service, last_version) values ($1, $2, 0) on conflict do nothing", conn, tx))
        {
            ins.Parameters.Add(new() { Value = tenant });
            ins.Parameters.Add(new() { Value = service });
            await ins.ExecuteNonQueryAsync(ct);
        }
        await using (var lck = new NpgsqlCommand("select last_version from services where tenant = $1 and service = $2 for update", conn, tx))
        {
            lck.Parameters.Add(new() { Value = tenant });
            lck.Parameters.Add(new() { Value = service });
            await lck.ExecuteScalarAsync(ct);
        }
        var existing = await VersionOfBuildAsync(buildId, ct, conn, tx);
        if (existing is not null)
        {
            await tx.CommitAsync(ct);
            return existing;
        }
        int version;
        if (requested is { } wanted)
        {
            await using (var taken = new NpgsqlCommand("select build_id from versions where tenant = $1 and service = $2 and version = $3", conn, tx))
            {
                taken.Parameters.Add(new() { Value = tenant });
                taken.Parameters.Add(new() { Value = service });
                taken.Parameters.Add(new() { Value = wanted });
                if (await taken.ExecuteScalarAsync(ct) is string other)
                    throw new Slipway.Tooling.StepFailure("version", Slipway.Tooling.FailureClass.Permanent,
                        $"version {wanted} of {tenant}/{service} already exists (build {other}); give a VERSION that is not taken, or leave it out to get the next one");
            }
            // The counter moves past a chosen number, so a later allocated one never collides with it.
            await using var set = new NpgsqlCommand("update services set last_version = greatest(last_version, $3), latest = $3 where tenant = $1 and service = $2", conn, tx);
            set.Parameters.Add(new() { Value = tenant });
            set.Parameters.Add(new() { Value = service });
            set.Parameters.Add(new() { Value = wanted });
            await set.ExecuteNonQueryAsync(ct);
            version = wanted;
        }
        else
        await using (var next = new NpgsqlCommand("update services set last_version = last_version + 1, latest = last_version + 1 where tenant = $1 and service = $2 returning last_version", conn, tx))
        {
            next.Parameters.Add(new() { Value = tenant });
            next.Parameters.Add(new() { Value = service });
            version = (int)(await next.ExecuteScalarAsync(ct))!;
        }
        var image = imageForVersion(version);
        foreach (var sql in new[]
                 {
                     "insert into versions (tenant, service, version, digest, commit, image, build_id) values ($1, $2, $3, $4, $5, $6, $7)",
                     "update builds set version = $3, image = $6, digest = $4, commit = $5 where id = $7 and tenant = $1 and service = $2",
                 })
        {
            await using var rec = new NpgsqlCommand(sql, conn, tx);
            rec.Parameters.Add(new() { Value = tenant });
            rec.Parameters.Add(new() { Value = service });
            rec.Parameters.Add(new() { Value = version });
            rec.Parameters.Add(new() { Value = digest });
            rec.Parameters.Add(new() { Value = (object?)commit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            rec.Parameters.Add(new() { Value = image });
            rec.Parameters.Add(new() { Value = buildId });
            await rec.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new VersionRecord(version, digest, commit, image, DateTimeOffset.UtcNow, true, buildId);
    }

    public async Task MarkSucceededAsync(string id, int attempt, string image, string digest, string? commit, int? version, CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var build = new NpgsqlBatchCommand("""
            update builds set status = 'SUCCEEDED', final = true, finished_at = now(), image = $2, digest = $3, commit = $4, version = $5,
                   failed_step = null, error = null, log_tail = '{}'
            where id = $1
            """);
        build.Parameters.Add(new() { Value = id });
        build.Parameters.Add(new() { Value = image });
        build.Parameters.Add(new() { Value = digest });
        build.Parameters.Add(new() { Value = (object?)commit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        build.Parameters.Add(new() { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        var att = new NpgsqlBatchCommand("update attempts set status = 'SUCCEEDED', finished_at = now() where build_id = $1 and attempt = $2");
        att.Parameters.Add(new() { Value = id });
        att.Parameters.Add(new() { Value = attempt });
        batch.BatchCommands.Add(build);
        batch.BatchCommands.Add(att);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A failed attempt; <paramref name="final"/> when no retry follows.</summary>
    public async Task MarkFailedAsync(string id, int attempt, string step, FailureClass failureClass, string error, IReadOnlyList<string> logTail, bool final, CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var build = new NpgsqlBatchCommand("""
            update builds set status = 'FAILED', final = $5, finished_at = now(), failed_step = $2, error = $3, log_tail = $4, attempt = greatest(attempt, $6)
            where id = $1 and status <> 'SUCCEEDED'
            """);
        build.Parameters.Add(new() { Value = id });
        build.Parameters.Add(new() { Value = step });
        build.Parameters.Add(new() { Value = OneLine(error) });
        build.Parameters.Add(new() { Value = Running.LogLines.Tail(logTail.Select(Secrets.Redact)).ToArray() });
        build.Parameters.Add(new() { Value = final });
        build.Parameters.Add(new() { Value = attempt });
        var att = new NpgsqlBatchCommand("update attempts set status = 'FAILED', finished_at = now(), failed_step = $2, error = $3, failure_class = $4 where build_id = $1 and attempt = $5");
        att.Parameters.Add(new() { Value = id });
        att.Parameters.Add(new() { Value = step });
        att.Parameters.Add(new() { Value = OneLine(error) });
        att.Parameters.Add(new() { Value = failureClass.ToString().ToLowerInvariant() });
        att.Parameters.Add(new() { Value = attempt });
        batch.BatchCommands.Add(build);
        batch.BatchCommands.Add(att);
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task<BuildRecord?> GetAsync(string id, CancellationToken ct) =>
        (await QueryBuildsAsync("where id = $1", [id], 1, ct)).FirstOrDefault();

    /// <summary>The build if it belongs to <paramref name="tenant"/> (null: any tenant, for operator tokens).</summary>
    public async Task<BuildRecord?> GetAsync(string id, string? tenant, CancellationToken ct) =>
        (await QueryBuildsAsync("where id = $1 and ($2::text is null or tenant = $2)", [id, tenant], 1, ct)).FirstOrDefault();

    public Task<IReadOnlyList<BuildRecord>> ListAsync(string? tenant, string? service, string? status, int limit, CancellationToken ct) =>
        QueryBuildsAsync("where ($1::text is null or tenant = $1) and ($2::text is null or service = $2) and ($3::text is null or status = $3)",
            [tenant, service, status], Math.Clamp(limit, 1, 1000), ct);

    public async Task<IReadOnlyList<VersionRecord>> VersionsAsync(string tenant, string service, CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select v.version, v.digest, v.commit, v.image, v.created_at, coalesce(s.latest = v.version, false), v.build_id
            from versions v left join services s on s.tenant = v.tenant and s.service = v.service
            where v.tenant = $1 and v.service = $2 order by v.version desc
            """, conn);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = service });
        var list = new List<VersionRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new VersionRecord(r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetBoolean(5), r.GetString(6)));
        return list;
    }

    /// <summary>Points the service's latest at an existing version; one line listing the valid ones otherwise.</summary>
    public async Task<VersionRecord> SetLatestAsync(string tenant, string service, int version, CancellationToken ct)
    {
        var versions = await VersionsAsync(tenant, service, ct);
        var target = versions.FirstOrDefault(v => v.Version == version)
            ?? throw new StepFailure("rollback", FailureClass.Permanent, versions.Count == 0
                ? $"{tenant}/{service} has no versions yet"
                : $"{tenant}/{service} has no version {version}; valid versions: {string.Join(", ", versions.Select(v => v.Version).OrderBy(v => v))}");
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("update services set latest = $3 where tenant = $1 and service = $2", conn);
        cmd.Parameters.Add(new() { Value = tenant });
        cmd.Parameters.Add(new() { Value = service });
        cmd.Parameters.Add(new() { Value = version });
        await cmd.ExecuteNonQueryAsync(ct);
        return target with { Latest = true };
    }

    private Task<VersionRecord?> VersionOfBuildAsync(string buildId, CancellationToken ct) => VersionOfBuildAsync(buildId, ct, null, null);

    private async Task<VersionRecord?> VersionOfBuildAsync(string buildId, CancellationToken ct, NpgsqlConnection? conn, NpgsqlTransaction? tx)
    {
        var own = conn is null;
        conn ??= await _data.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("""
                select v.version, v.digest, v.commit, v.image, v.created_at, coalesce(s.latest = v.version, false), v.build_id
                from versions v left join services s on s.tenant = v.tenant and s.service = v.service where v.build_id = $1
                """, conn, tx);
            cmd.Parameters.Add(new() { Value = buildId });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            return new VersionRecord(r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetBoolean(5), r.GetString(6));
        }
        finally
        {
            if (own) await conn.DisposeAsync();
        }
    }

    private async Task<IReadOnlyList<BuildRecord>> QueryBuildsAsync(string where, object?[] args, int limit, CancellationToken ct)
    {
        await using var conn = await _data.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            select id, tenant, service, status, attempt, max_attempts, final, version, image, digest, commit, ref, repo,
                   created_at, started_at, finished_at, failed_step, error, log_tail
            from builds {where} order by created_at desc, id limit {limit}
            """, conn);
        foreach (var a in args) cmd.Parameters.Add(new() { Value = a ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var list = new List<BuildRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            DateTimeOffset? T(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
            var started = T(14);
            var finished = T(15);
            list.Add(new BuildRecord(r.GetString(0), S(1), S(2), r.GetString(3), r.GetInt32(4), r.GetInt32(5), r.GetBoolean(6),
                r.IsDBNull(7) ? null : r.GetInt32(7), S(8), S(9), S(10), S(11), r.GetString(12),
                r.GetFieldValue<DateTimeOffset>(13), started, finished,
                started is { } s && finished is { } f ? (long)(f - s).TotalMilliseconds : null,
                S(16), S(17), r.GetFieldValue<string[]>(18)));
        }
        return list;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One line, redacted, cleaned of what PostgreSQL refuses (NUL), at most 500 characters.</summary>
    private static string OneLine(string s) => Running.LogLines.Clean(Secrets.Redact(s.ReplaceLineEndings(" ").Trim())) is var l && l.Length > 500 ? l[..500] + "…" : l;

    public ValueTask DisposeAsync() => _data.DisposeAsync();
}

/// <summary>A request whose build id another tenant's build already has; nothing of that build is read or written.</summary>
public sealed class BuildIdTakenException(string message) : Exception(message);
