using System.Diagnostics;
using System.Reflection;
using ParameterInfo = Slipway.Engine.Parameters.ParameterInfo;
using Slipway.Engine.Ci;
using Slipway.Engine.Execution;
using Slipway.Engine.Extensions;
using Slipway.Engine.Output;
using Slipway.Engine.Parameters;
using Slipway.Engine.Planning;
using Slipway.Tooling;

namespace Slipway.Engine;

/// <summary>
/// Base class of a build: targets are <see cref="Target"/> properties, parameters are [Parameter] members.
/// <c>public static int Main() => Execute&lt;Build&gt;(x => x.Compile);</c>
/// </summary>
[WriteSchema, HandleHelpRequests, HandleWorkflowGeneration, HandlePlanRequests, RecordBuildAttempts, WriteSummary]
public abstract class SlipwayBuild : ISlipwayBuild
{
    private static readonly string[] BuiltInSwitches = ["help", "plan", "target", "skip", "verbosity", "no-logo", "root", "profile", "parallel", "continue", "generate-workflows", "generate-schema"];
    /// <summary>Switches that never take a value: a word after them is a target (<c>--continue Publish</c>).</summary>
    private static readonly string[] FlagSwitches = ["help", "plan", "no-logo", "continue", "generate-workflows", "generate-schema"];

    /// <summary>The monorepo the build operates on: --root, or the directory holding .nuke/.</summary>
    public AbsolutePath RootDirectory { get; private set; } = new(Directory.GetCurrentDirectory());
    /// <summary>The repository that holds this build project (its own .nuke/).</summary>
    public AbsolutePath BuildRepositoryDirectory { get; private set; } = new(Directory.GetCurrentDirectory());
    /// <summary>The directory of the build project itself (build/).</summary>
    public AbsolutePath BuildProjectDirectory => BuildRepositoryDirectory / "build";
    public static bool IsServerBuild => Slipway.Tooling.CiHost.IsServerBuild();
    public static bool IsLocalBuild => !IsServerBuild;
    /// <summary>Cancelled on Ctrl-C.</summary>
    public CancellationToken CancellationToken { get; private set; }
    /// <summary>
    /// The targets this run executes (Nuke's ScheduledTargets): planned and not skipped before it starts. A target
    /// may start work that a later scheduled target waits for.
    /// </summary>
    public IReadOnlySet<string> ScheduledTargets { get; private set; } = new HashSet<string>();

    /// <summary>Adds a note to the running target's row in the summary.</summary>
    public static void ReportSummary(string note) => Executor.Note(note);

    /// <summary>A tool required on PATH, for <c>Requires(Tool("buildah", "apt-get install -y buildah"))</c>.</summary>
    protected static ToolRequirement Tool(string name, string? installHint = null) => new(name, installHint);

    public static int Execute<T>(Func<T, Target> defaultTarget) where T : SlipwayBuild, new()
    {
        var args = Environment.GetCommandLineArgs().Skip(1).ToArray();
        Log.Install();
        try
        {
            return new T().Run(args, defaultTarget is null ? null : (Func<SlipwayBuild, Target>)(b => defaultTarget((T)b)));
        }
        catch (Exception e) when (e is PlanningException or ParameterException)
        {
            Console.Error.WriteLine(Log.Color(Secrets.Redact(e.Message), "\u001b[31m"));
            return 1;
        }
        finally
        {
            Log.Flush();
        }
    }

    internal int Run(string[] args, Func<SlipwayBuild, Target>? defaultTarget)
    {
        var (positionals, options) = ParseArguments(args);
        var hasOption = (string n) => options.ContainsKey(n);
        string? Single(string n) => options.TryGetValue(n, out var v) && v.Count > 0 ? v[0] : null;

        Log.Level = Single("verbosity") is { } v
            ? (Verbosity)(ParameterResolver.Convert("Verbosity", typeof(Verbosity), [v], "--verbosity", ".") ?? Verbosity.Normal)
            : Verbosity.Normal;
        BuildRepositoryDirectory = new AbsolutePath(FindNukeRoot(AppContext.BaseDirectory) ?? FindNukeRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory());
        var root = Single("root") is { } r ? Path.GetFullPath(r) : FindNukeRoot(Directory.GetCurrentDirectory()) ?? BuildRepositoryDirectory.Path;
        if (!Directory.Exists(root)) throw new ParameterException($"--root '{root}' does not exist; pass the monorepo's directory");
        RootDirectory = new AbsolutePath(root);

        // Parameters.
        // The build's own .nuke/ first, then the --root monorepo's (when it has one): the monorepo's values win.
        var paramFiles = new[] { Path.Combine(BuildRepositoryDirectory, ".nuke"), Path.Combine(RootDirectory, ".nuke") }.Distinct().ToList();
        var json = Merge(paramFiles.Select(d => ParameterResolver.ReadJson(Path.Combine(d, "parameters.json"))));
        var profiles = (options.GetValueOrDefault("profile") ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (options.ContainsKey("profile") && profiles.Count == 0) throw new ParameterException("--profile needs a name: --profile NAME reads .nuke/parameters.NAME.json");
        foreach (var p in profiles)
            if (!paramFiles.Any(d => File.Exists(Path.Combine(d, $"parameters.{p}.json"))))
                throw new ParameterException($"--profile {p}: .nuke/parameters.{p}.json does not exist. Available profiles are: {AvailableProfiles(paramFiles)}");
        // Later profiles override earlier ones: --profile ci release.
        var profileJson = profiles.Count == 0 ? null : Merge(profiles.SelectMany(p => paramFiles.Select(d => ParameterResolver.ReadJson(Path.Combine(d, $"parameters.{p}.json")))));
        var profile = profiles.Count == 0 ? null : string.Join(",", profiles);
        if (Single("verbosity") is null && JsonList(profileJson, json, "Verbosity") is [var jv])
            Log.Level = (Verbosity)ParameterResolver.Convert("Verbosity", typeof(Verbosity), [jv], ".nuke/parameters.json: Verbosity", ".")!;
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        var sources = new ParameterSources(options.Where(kv => !BuiltInSwitches.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            env, json, profileJson, profile, RootDirectory);
        var parameters = ParameterMembers(GetType());
        var resolved = new List<ResolvedParameter>();
        var errors = new List<ParameterException>();
        foreach (var (member, info) in parameters)
        {
            object? value;
            string source;
            try
            {
                (value, source) = ParameterResolver.Resolve(info.Name, info.Type, sources);
            }
            catch (ParameterException e)
            {
                // Kept for later: --help must still work with a bad value around and shows the error in its place.
                errors.Add(e);
                (value, source) = (null, $"default; ignored {e.Message}");
            }
            if (value is not null) SetValue(member, value);
            if (info.IsSecret && value is string s) Secrets.Register(s);
            if (info.IsSecret && value is string[] secrets) foreach (var one in secrets) Secrets.Register(one);
            resolved.Add(new ResolvedParameter(info, value ?? GetValue(member), source));
        }
        var known = parameters.Select(p => ParameterResolver.ToKebab(p.Info.Name)).Concat(BuiltInSwitches).ToHashSet();
        var unknown = options.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ParameterException($"Unknown option --{unknown[0]}. Available parameters are: {string.Join(", ", parameters.Select(p => "--" + ParameterResolver.ToKebab(p.Info.Name)).Distinct().Order())}; switches: {string.Join(", ", BuiltInSwitches.Select(b => "--" + b))}");

        // A key in a parameters file that no parameter reads is most likely a typo: say so, with the valid names.
        var builtInKeys = new[] { "$schema", "Target", "Skip", "Verbosity" };
        foreach (var key in new[] { json, profileJson }.OfType<System.Text.Json.Nodes.JsonObject>().SelectMany(o => o.Select(kv => kv.Key)).Distinct())
            if (!builtInKeys.Contains(key) && !parameters.Any(p => ParameterResolver.Loose(p.Info.Name) == ParameterResolver.Loose(key)))
                Log.Warn($"Unknown parameter '{key}' in .nuke/parameters*.json (ignored). Available parameters are: {string.Join(", ", parameters.Select(p => p.Info.Name).Distinct().Order(StringComparer.Ordinal))}");

        // Targets, then the extensions' stages: created (schema, help, workflows), initialized (plan, --continue),
        // each target's running/succeeded/failed/skipped, finished (summary).
        // A parameter declared twice (the class and a component, or two components) is one parameter.
        var run = new BuildRun(this, positionals, options) { Parameters = resolved.DistinctBy(p => p.Info.Name).ToList(), ParameterErrors = errors };
        run.Targets = TargetDefinitions(out var defaultName, defaultTarget);
        run.DefaultTarget = defaultName;
        var extensions = new BuildExtensions(run, BuildExtensions.Of(this));
        extensions.Raise<IOnBuildCreated>(x => x.OnBuildCreated(run));
        if (run.ExitCode is { } created) return created;
        if (errors.Count > 0) throw errors[0];

        if (!hasOption("no-logo")) Log.Raw(Log.Color("⛵ Slipway build", "\u001b[1;34m") + $"  root: {RootDirectory}");
        var requested = positionals.Concat(options.GetValueOrDefault("target") ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (requested.Count == 0) requested = JsonList(profileJson, json, "Target") ?? [];
        var skip = options.TryGetValue("skip", out var skipArgs) ? skipArgs.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList() : JsonList(profileJson, json, "Skip");
        run.SetPlan(Executor.ApplyStaticConditions(ExecutionPlanner.Plan(run.Targets, requested, defaultName, skip)));
        extensions.Raise<IOnBuildInitialized>(x => x.OnBuildInitialized(run));
        if (run.ExitCode is { } initialized) return initialized;
        var plan = run.Plan!;
        ScheduledTargets = plan.Targets.Where(t => t.SkipReason is null).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        var problems = Executor.CheckRequirements(plan);
        if (problems.Count > 0)
        {
            foreach (var p in problems) Log.Error(p);
            return 1;
        }

        var parallel = Single("parallel") is { } pv ? (int)ParameterResolver.Convert("parallel", typeof(int), [pv], "--parallel", ".")! : 1;
        if (parallel < 1) throw new ParameterException($"--parallel: '{parallel}' must be 1 or more (targets at once)");
        using var cts = new CancellationTokenSource();
        // First Ctrl-C (or SIGTERM): abort the running target(s) and still run assured targets. Second Ctrl-C: exit now.
        var interrupts = 0;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (Interlocked.Increment(ref interrupts) > 1) { e.Cancel = false; return; }
            e.Cancel = true;
            Log.Warn("Cancelling: the running target is aborted; assured targets still run. Press Ctrl-C again to exit at once.");
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
        {
            if (Interlocked.Increment(ref interrupts) > 1) return;
            ctx.Cancel = true;
            Log.Warn("SIGTERM: cancelling; assured targets still run.");
            cts.Cancel();
        });
        CancellationToken = cts.Token;
        var executor = new Executor(plan, parallel) { Extensions = extensions };
        run.Results = executor.Results;
        bool ok;
        try
        {
            ok = executor.RunAsync(cts.Token).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        Log.Flush();
        extensions.Raise<IOnBuildFinished>(x => x.OnBuildFinished(run));
        if (ok) return run.ExitCode ?? 0;
        // 130 (as a shell reports Ctrl-C) when the build was only interrupted, 1 when a target failed.
        return executor.Results.Any(r => r.Status == TargetStatus.Failed) ? 1 : 130;
    }

    internal static (List<string> Positionals, Dictionary<string, List<string>> Options) ParseArguments(string[] args)
    {
        var positionals = new List<string>();
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var a in args)
        {
            if (a is "-h" or "-?") { options["help"] = []; current = null; continue; }
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var name = a[2..];
                var eq = name.IndexOf('=');
                current = [];
                if (eq >= 0) { current.Add(name[(eq + 1)..]); name = name[..eq]; }
                var key = ParameterResolver.ToKebab(name).Replace("--", "-");
                options[key] = current;
                if (eq >= 0 || FlagSwitches.Contains(key)) current = null;
                continue;
            }
            if (current is not null) current.Add(a);
            else positionals.Add(a);
        }
        return (positionals, options);
    }

    private static System.Text.Json.Nodes.JsonObject? Merge(IEnumerable<System.Text.Json.Nodes.JsonObject?> objects)
    {
        System.Text.Json.Nodes.JsonObject? result = null;
        foreach (var o in objects.OfType<System.Text.Json.Nodes.JsonObject>())
        {
            result ??= new System.Text.Json.Nodes.JsonObject();
            foreach (var kv in o) result[kv.Key] = kv.Value?.DeepClone();
        }
        return result;
    }

    private static string AvailableProfiles(IEnumerable<string> nukeDirs)
    {
        var names = nukeDirs.Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "parameters.*.json"))
            .Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length]).Distinct().Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }

    /// <summary>A list-valued built-in (Target, Skip) from the profile file, else parameters.json; null when neither has it.</summary>
    private static List<string>? JsonList(System.Text.Json.Nodes.JsonObject? profile, System.Text.Json.Nodes.JsonObject? json, string key)
    {
        foreach (var o in new[] { profile, json })
            if (o?.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { } node)
                return node is System.Text.Json.Nodes.JsonArray a ? a.Select(n => n?.ToString() ?? "").ToList() : [node.ToString()];
        return null;
    }

    private static string? FindNukeRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, ".nuke"))) return d.FullName;
        return null;
    }

    /// <summary>
    /// Every Target property: the class's own, then those of its component interfaces (default implementations,
    /// or the class's explicit re-implementation, which a call through the interface reaches). Names are the
    /// property names; references between targets become names.
    /// </summary>
    private List<TargetDefinition> TargetDefinitions(out string? defaultName, Func<SlipwayBuild, Target>? defaultTarget)
    {
        const BindingFlags instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        static bool IsTarget(PropertyInfo p) => p.PropertyType == typeof(Target) && p.GetMethod is not null && !p.Name.Contains('.');
        var own = GetType().GetProperties(instance).Where(IsTarget).ToList();
        var components = GetType().GetInterfaces().SelectMany(i => i.GetProperties(instance)).Where(IsTarget)
            .Where(p => own.All(o => o.Name != p.Name)).ToList();
        var delegates = own.Concat(components).Select(p => (p.Name, Delegate: (Target)p.GetValue(this)!)).ToList();
        string NameOf(Target t) => delegates.FirstOrDefault(d => d.Delegate.Equals(t)).Name
            ?? throw new PlanningException("A target reference does not match any Target property");
        var defs = delegates.Select(d =>
        {
            var def = new TargetDefinition(d.Name) { Build = this };
            d.Delegate(def);
            return def;
        }).ToList();
        foreach (var def in defs)
            foreach (var list in new[] { def.DependsOnRefs, def.DependentForRefs, def.AfterRefs, def.BeforeRefs, def.TriggersRefs, def.TriggeredByRefs })
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is Target t) list[i] = NameOf(t);
        defaultName = defaultTarget is null ? null : NameOf(defaultTarget(this));
        return defs;
    }

    /// <summary>Values of [Parameter] properties declared on component interfaces (they have no field to hold them).</summary>
    private readonly Dictionary<(Type, string), object?> _componentValues = [];

    internal T ComponentParameter<T>(System.Linq.Expressions.Expression<Func<T>> parameter, T defaultValue)
    {
        var body = parameter.Body is System.Linq.Expressions.UnaryExpression { NodeType: System.Linq.Expressions.ExpressionType.Convert } u ? u.Operand : parameter.Body;
        if (body is not System.Linq.Expressions.MemberExpression { Member: var member })
            throw new ArgumentException($"TryGetValue takes the parameter property itself, e.g. TryGetValue(() => Registry), not '{parameter.Body}'");
        return _componentValues.TryGetValue((member.DeclaringType!, member.Name), out var value) && value is T t ? t : defaultValue;
    }

    private static List<(MemberInfo Member, ParameterInfo Info)> ParameterMembers(Type type)
    {
        var result = new List<(MemberInfo, ParameterInfo)>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var m in t.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (m.GetCustomAttribute<ParameterAttribute>() is not { } attr) continue;
                var memberType = m switch { FieldInfo f => f.FieldType, PropertyInfo p => p.PropertyType, _ => null };
                if (memberType is null) continue;
                result.Add((m, new ParameterInfo(attr.Name ?? m.Name, memberType, attr.Description, m.GetCustomAttribute<SecretAttribute>() is not null)));
            }
        // Parameters of component interfaces: [Parameter] properties with TryGetValue bodies.
        foreach (var i in type.GetInterfaces())
            foreach (var p in i.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (p.GetCustomAttribute<ParameterAttribute>() is { } attr)
                    result.Add((p, new ParameterInfo(attr.Name ?? p.Name, p.PropertyType, attr.Description, p.GetCustomAttribute<SecretAttribute>() is not null)));
        return result;
    }

    private void SetValue(MemberInfo m, object value)
    {
        if (m.DeclaringType is { IsInterface: true } component) { _componentValues[(component, m.Name)] = value; return; }
        switch (m)
        {
            case FieldInfo f: f.SetValue(this, value); break;
            case PropertyInfo p when p.SetMethod is not null: p.SetValue(this, value); break;
            case PropertyInfo p:
                var backing = p.DeclaringType!.GetField($"<{p.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);
                backing?.SetValue(this, value);
                break;
        }
    }

    private object? GetValue(MemberInfo m) => m switch { FieldInfo f => f.GetValue(this), PropertyInfo p => p.GetValue(this), _ => null };
}
