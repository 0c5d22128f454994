namespace Slipway.Builder.Store;

/// <summary>Schema steps applied in order on start (each once, under an advisory lock so workers starting together do not race).</summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        """
        create table builds (
            id            text primary key,
            tenant        text,
            service       text,
            repo          text not null,
            ref           text,
            status        text not null check (status in ('QUEUED','RUNNING','SUCCEEDED','FAILED')),
            attempt       int  not null default 0,
            max_attempts  int  not null default 1,
            final         boolean not null default false,
            version       int,
            image         text,
            digest        text,
            commit        text,
            sequence      bigint not null default 0,
            created_at    timestamptz not null default now(),
            started_at    timestamptz,
            finished_at   timestamptz,
            failed_step   text,
            error         text,
            log_tail      text[] not null default '{}'
        );
        create index builds_created on builds (created_at desc);
        create index builds_tenant_service on builds (tenant, service, created_at desc);

        create table attempts (
            build_id     text not null references builds(id),
            attempt      int  not null,
            worker       text not null,
            started_at   timestamptz not null default now(),
            finished_at  timestamptz,
            status       text not null,
            failed_step  text,
            failure_class text,
            error        text,
            primary key (build_id, attempt)
        );

        -- One row per (tenant, service): the counter whose row lock serializes allocation, and what "latest" points at.
        create table services (
            tenant        text not null,
            service       text not null,
            last_version  int  not null,
            latest        int,
            primary key (tenant, service)
        );

        create table versions (
            tenant      text not null,
            service     text not null,
            version     int  not null,
            digest      text not null,
            commit      text,
            image       text not null,
            build_id    text not null unique references builds(id),
            created_at  timestamptz not null default now(),
            primary key (tenant, service, version)
        );
        """,
    ];
}
