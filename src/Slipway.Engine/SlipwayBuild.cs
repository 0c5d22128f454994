using System.Diagnostics;
using System.Reflection;
using ParameterInfo = Slipway.Engine.Parameters.ParameterInfo;
using Slipway.Engine.Ci;
using Slipway.Engine.Execution;
using Slipway.Engine.Output;
using Slipway.Engine.Parameters;
using Slipway.Engine.Planning;
using Slipway.Tooling;

namespace Slipway.Engine;

/// <summary>
/// Base class of a build: targets are <see cref="Target"/> properties, parameters are [Parameter] members.
/// <c>public static int Main() => Execute&lt;Build&gt;(x => x.Compile);</c>
/// </summary>
public abstract class SlipwayBuild
{
    private static readonly string[] BuiltInSwitches = ["help", "plan", "target", "skip", "verbosity", "no-logo", "root", "profile", "parallel", "generate-workflows", "generate-schema"];

    /// <summary>The monorepo the build operates on: --root, or the directory holding .nuke/.</summary>
    public AbsolutePath RootDirectory { get; private set; } = new(Directory.GetCurrentDirectory());
    /// <summary>The repository that holds this build project (its own .nuke/).</summary>
    public AbsolutePath BuildRepositoryDirectory { get; private set; } = new(Directory.GetCurrentDirectory());
    public static bool IsServerBuild => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false"
        || Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true" || Environment.GetEnvironmentVariable("GITLAB_CI") == "true";
    public static bool IsLocalBuild => !IsServerBuild;
    /// <summary>Cancelled on Ctrl-C.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Adds a note to the running target's row in the summary.</summary>
    public static void ReportSummary(string note) => Executor.Note(note);

    /// <summary>A tool required on PATH, for <c>Requires(Tool("buildah", "apt-get install -y buildah"))</c>.</summary>
    protected static ToolRequirement Tool(string name, string? installHint = null) => new(name, installHint);

    public static int Execute<T>(Func<T, Target> defaultTarget) where T : SlipwayBuild, new()
    {
        var args = Environment.GetCommandLineArgs().Skip(1).ToArray();
        try
        {
            return new T().Run(args, defaultTarget is null ? null : (Func<SlipwayBuild, Target>)(b => defaultTarget((T)b)));
        }
        catch (Exception e) when (e is PlanningException or ParameterException)
        {
            Console.Error.WriteLine(Secrets.Redact(e.Message));
            return 1;
        }
    }

    internal int Run(string[] args, Func<SlipwayBuild, Target>? defaultTarget)
    {
        var sw = Stopwatch.StartNew();
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
        var profile = Single("profile");
        var paramFiles = new[] { Path.Combine(BuildRepositoryDirectory, ".nuke"), Path.Combine(RootDirectory, ".nuke") }.Distinct().ToList();
        var json = Merge(paramFiles.Select(d => ParameterResolver.ReadJson(Path.Combine(d, "parameters.json"))));
        var profileJson = profile is null ? null : Merge(paramFiles.Select(d => ParameterResolver.ReadJson(Path.Combine(d, $"parameters.{profile}.json"))));
        if (profile is not null && profileJson is null)
            throw new ParameterException($"--profile {profile}: .nuke/parameters.{profile}.json does not exist");
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        var sources = new ParameterSources(options.Where(kv => !BuiltInSwitches.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            env, json, profileJson, profile, RootDirectory);
        var parameters = ParameterMembers(GetType());
        var resolved = new List<(ParameterInfo Info, object? Value, string Source)>();
        foreach (var (member, info) in parameters)
        {
            var (value, source) = ParameterResolver.Resolve(info.Name, info.Type, sources);
            if (value is not null) SetValue(member, value);
            if (info.IsSecret && value is string s) Secrets.Register(s);
            resolved.Add((info, value ?? GetValue(member), source));
        }
        var known = parameters.Select(p => ParameterResolver.ToKebab(p.Info.Name)).Concat(BuiltInSwitches).ToHashSet();
        var unknown = options.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ParameterException($"Unknown option --{unknown[0]}. Available parameters are: {string.Join(", ", parameters.Select(p => "--" + ParameterResolver.ToKebab(p.Info.Name)).Order())}; switches: {string.Join(", ", BuiltInSwitches.Select(b => "--" + b))}");

        // Targets.
        var targets = TargetDefinitions(out var defaultName, defaultTarget);
        var targetNames = targets.Where(t => !t.IsUnlisted).Select(t => t.Name).ToList();
        WriteSchemaIfStale(parameters.Select(p => p.Info).ToList(), targetNames);

        if (!hasOption("no-logo") && !hasOption("help")) Log.Raw(Log.Color("⛵ Slipway build", "\u001b[1;34m") + $"  root: {RootDirectory}");
        if (hasOption("help")) { PrintHelp(targets, defaultName, resolved); return 0; }
        if (hasOption("generate-workflows")) { GitHubActions.Write(BuildRepositoryDirectory, GetType()); Log.Info("Wrote .github/workflows from [GitHubActions] declarations."); return 0; }
        if (hasOption("generate-schema")) return 0;

        var requested = positionals.Concat(options.GetValueOrDefault("target") ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var plan = ExecutionPlanner.Plan(targets, requested, defaultName, options.TryGetValue("skip", out var skip) ? skip.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList() : null);

        if (hasOption("plan"))
        {
            foreach (var line in PlanWriter.Text(plan)) Log.Raw(line);
            var html = Path.Combine(BuildRepositoryDirectory, ".nuke", "temp", "execution-plan.html");
            Directory.CreateDirectory(Path.GetDirectoryName(html)!);
            File.WriteAllText(html, PlanWriter.Html(targets, plan));
            Log.Raw($"Plan graph written to {Path.GetRelativePath(Directory.GetCurrentDirectory(), html)}");
            return 0;
        }

        var problems = Executor.CheckRequirements(plan);
        if (problems.Count > 0)
        {
            foreach (var p in problems) Log.Error(p);
            return 1;
        }

        var parallel = Single("parallel") is { } pv ? (int)ParameterResolver.Convert("parallel", typeof(int), [pv], "--parallel", ".")! : 1;
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; Log.Warn("Cancelling: the running target is aborted; assured targets still run."); cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        CancellationToken = cts.Token;
        var executor = new Executor(plan, parallel);
        bool ok;
        try
        {
            ok = executor.RunAsync(cts.Token).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        Log.Raw("");
        foreach (var line in Summary.Render(executor.Results, sw.Elapsed)) Log.Raw(line);
        return ok ? 0 : 1;
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
                options[ParameterResolver.ToKebab(name).Replace("--", "-")] = current;
                if (eq >= 0) current = null;
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

    private static string? FindNukeRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, ".nuke"))) return d.FullName;
        return null;
    }

    private List<TargetDefinition> TargetDefinitions(out string? defaultName, Func<SlipwayBuild, Target>? defaultTarget)
    {
        var props = GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target) && p.GetMethod is not null).ToList();
        var delegates = props.Select(p => (p.Name, Delegate: (Target)p.GetValue(this)!)).ToList();
        string NameOf(Target t) => delegates.FirstOrDefault(d => d.Delegate.Equals(t)).Name
            ?? throw new PlanningException("A target reference does not match any Target property");
        var defs = delegates.Select(d =>
        {
            var def = new TargetDefinition(d.Name);
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
        return result;
    }

    private void SetValue(MemberInfo m, object value)
    {
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

    private void WriteSchemaIfStale(IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<string> targets)
    {
        var path = Path.Combine(BuildRepositoryDirectory, ".nuke", "build.schema.json");
        if (!Directory.Exists(Path.GetDirectoryName(path))) return;
        var schema = SchemaGenerator.Generate(parameters, targets);
        if (!File.Exists(path) || File.ReadAllText(path) != schema) File.WriteAllText(path, schema);
    }

    private static void PrintHelp(List<TargetDefinition> targets, string? defaultName, List<(ParameterInfo Info, object? Value, string Source)> parameters)
    {
        Log.Raw("Usage: ./build.sh [targets] [--parameter value] [--plan] [--skip [targets]] [--parallel N] [--root DIR] [--profile NAME]");
        Log.Raw("");
        Log.Raw("Targets (with their direct dependencies):");
        Log.Raw("");
        var listed = targets.Where(t => !t.IsUnlisted).ToList();
        var w = listed.Max(t => t.Name.Length + (t.Name == defaultName ? 10 : 0));
        foreach (var t in listed)
        {
            var name = t.Name + (t.Name == defaultName ? " (default)" : "");
            var deps = t.DependsOnRefs.OfType<string>().ToList();
            Log.Raw($"  {name.PadRight(w)}  {t.DescriptionText}".TrimEnd());
            if (deps.Count > 0) Log.Raw($"  {"".PadRight(w)}  -> {string.Join(", ", deps)}");
        }
        Log.Raw("");
        Log.Raw("Parameters (command line, then environment, then .nuke/parameters.json, then --profile):");
        Log.Raw("");
        var pw = parameters.Count == 0 ? 0 : parameters.Max(p => ParameterResolver.ToKebab(p.Info.Name).Length + 2);
        foreach (var (info, value, source) in parameters.OrderBy(p => p.Info.Name, StringComparer.Ordinal))
        {
            var shown = value switch
            {
                null => "(not set)",
                _ when info.IsSecret => "[REDACTED]",
                Array a => string.Join(",", a.Cast<object>()),
                _ => value.ToString(),
            };
            Log.Raw($"  {("--" + ParameterResolver.ToKebab(info.Name)).PadRight(pw)}  {info.Description}");
            Log.Raw($"  {"".PadRight(pw)}  = {shown}  [from {source}]");
        }
        Log.Raw("");
        Log.Raw("Switches: --help, --plan (print the plan, write .nuke/temp/execution-plan.html), --target, --skip [targets],");
        Log.Raw("          --verbosity quiet|minimal|normal|verbose, --no-logo, --root DIR, --profile NAME, --parallel N,");
        Log.Raw("          --generate-workflows. NO_COLOR disables colours.");
    }
}
