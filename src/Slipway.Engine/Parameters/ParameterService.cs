using System.Reflection;
using System.Text.Json.Nodes;
using Slipway.Tooling;

namespace Slipway.Engine.Parameters;

/// <summary>
/// What one run reads from its command line and parameters files (Nuke's ParameterService): the arguments split
/// into target names and --options, <c>.nuke/parameters.json</c> merged with the <c>--profile</c> files, the
/// built-in switches' values, and the build's [Parameter] members resolved and set. An unknown option fails and an
/// unknown file key warns, each listing the valid names.
/// </summary>
internal sealed class ParameterService
{
    internal static readonly string[] BuiltInSwitches = ["help", "plan", "target", "skip", "verbosity", "no-logo", "root", "profile", "parallel", "continue", "generate-workflows", "generate-schema"];
    /// <summary>Switches that never take a value: a word after them is a target (<c>--continue Publish</c>).</summary>
    private static readonly string[] FlagSwitches = ["help", "plan", "no-logo", "continue", "generate-workflows", "generate-schema"];
    /// <summary>Keys of a parameters file that the engine reads itself.</summary>
    private static readonly string[] BuiltInKeys = ["$schema", "Target", "Skip", "Verbosity"];

    private readonly Verbosity? _commandLineVerbosity;
    private JsonObject? _json;
    private JsonObject? _profileJson;
    private string? _profile;

    /// <summary>Splits the arguments; a bad --verbosity fails here, before anything else is read.</summary>
    public ParameterService(string[] args)
    {
        (Positionals, Options) = ParseArguments(args);
        if (Single("verbosity") is { } v)
            _commandLineVerbosity = (Verbosity?)ParameterResolver.Convert("Verbosity", typeof(Verbosity), [v], "--verbosity", ".");
    }

    /// <summary>Target names as given on the command line.</summary>
    public List<string> Positionals { get; }
    /// <summary>Every --option (kebab-case name → values), switches and parameters alike.</summary>
    public Dictionary<string, List<string>> Options { get; }

    public bool Has(string name) => Options.ContainsKey(name);
    public string? Single(string name) => Options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    /// <summary>--verbosity, else the parameters files' Verbosity, else normal.</summary>
    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;

    /// <summary>
    /// Reads parameters.json and the --profile files of each .nuke/ directory, in order: a later directory's
    /// values win, and later profiles override earlier ones (<c>--profile ci release</c>).
    /// </summary>
    public void ReadFiles(IReadOnlyList<string> nukeDirectories)
    {
        _json = Merge(nukeDirectories.Select(d => ParameterResolver.ReadJson(Path.Combine(d, "parameters.json"))));
        var profiles = (Options.GetValueOrDefault("profile") ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (Has("profile") && profiles.Count == 0) throw new ParameterException("--profile needs a name: --profile NAME reads .nuke/parameters.NAME.json");
        foreach (var p in profiles)
            if (!nukeDirectories.Any(d => File.Exists(Path.Combine(d, $"parameters.{p}.json"))))
                throw new ParameterException($"--profile {p}: .nuke/parameters.{p}.json does not exist. Available profiles are: {AvailableProfiles(nukeDirectories)}");
        _profileJson = profiles.Count == 0 ? null : Merge(profiles.SelectMany(p => nukeDirectories.Select(d => ParameterResolver.ReadJson(Path.Combine(d, $"parameters.{p}.json")))));
        _profile = profiles.Count == 0 ? null : string.Join(",", profiles);
        Verbosity = _commandLineVerbosity
            ?? (JsonList("Verbosity") is [var jv] ? (Verbosity)ParameterResolver.Convert("Verbosity", typeof(Verbosity), [jv], ".nuke/parameters.json: Verbosity", ".")! : Verbosity.Normal);
    }

    /// <summary>The targets to run: positionals and --target, else the files' Target.</summary>
    public List<string> RequestedTargets()
    {
        var requested = Positionals.Concat(Options.GetValueOrDefault("target") ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return requested.Count > 0 ? requested : JsonList("Target") ?? [];
    }

    /// <summary>--skip (bare: every dependency), else the files' Skip; null when neither says.</summary>
    public List<string>? SkippedTargets() =>
        Options.TryGetValue("skip", out var skip) ? skip.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList() : JsonList("Skip");

    /// <summary>--parallel: targets at once (default 1).</summary>
    public int Parallelism()
    {
        var parallel = Single("parallel") is { } pv ? (int)ParameterResolver.Convert("parallel", typeof(int), [pv], "--parallel", ".")! : 1;
        return parallel >= 1 ? parallel : throw new ParameterException($"--parallel: '{parallel}' must be 1 or more (targets at once)");
    }

    /// <summary>
    /// Resolves and sets every [Parameter] member of the build and its component interfaces. A bad value is kept
    /// in the errors (--help must still work and shows it in its place); an unknown option fails at once.
    /// A parameter declared twice (the class and a component, or two components) is one parameter.
    /// </summary>
    public (List<ResolvedParameter> Parameters, List<ParameterException> Errors) Resolve(SlipwayBuild build, IReadOnlyDictionary<string, string?> environment)
    {
        var sources = new ParameterSources(Options.Where(kv => !BuiltInSwitches.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            environment, _json, _profileJson, _profile, build.RootDirectory);
        var parameters = ParameterMembers(build.GetType());
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
                errors.Add(e);
                (value, source) = (null, $"default; ignored {e.Message}");
            }
            if (value is not null) SetValue(build, member, value);
            if (info.IsSecret && value is string s) Secrets.Register(s);
            if (info.IsSecret && value is string[] secrets) foreach (var one in secrets) Secrets.Register(one);
            resolved.Add(new ResolvedParameter(info, value ?? GetValue(build, member), source));
        }
        var known = parameters.Select(p => ParameterResolver.ToKebab(p.Info.Name)).Concat(BuiltInSwitches).ToHashSet();
        var unknown = Options.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ParameterException($"Unknown option --{unknown[0]}. Available parameters are: {string.Join(", ", parameters.Select(p => "--" + ParameterResolver.ToKebab(p.Info.Name)).Distinct().Order())}; switches: {string.Join(", ", BuiltInSwitches.Select(b => "--" + b))}");

        // A key in a parameters file that no parameter reads is most likely a typo: say so, with the valid names.
        foreach (var key in new[] { _json, _profileJson }.OfType<JsonObject>().SelectMany(o => o.Select(kv => kv.Key)).Distinct())
            if (!BuiltInKeys.Contains(key) && !parameters.Any(p => ParameterResolver.Loose(p.Info.Name) == ParameterResolver.Loose(key)))
                Log.Warn($"Unknown parameter '{key}' in .nuke/parameters*.json (ignored). Available parameters are: {string.Join(", ", parameters.Select(p => p.Info.Name).Distinct().Order(StringComparer.Ordinal))}");
        return (resolved.DistinctBy(p => p.Info.Name).ToList(), errors);
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

    private static JsonObject? Merge(IEnumerable<JsonObject?> objects)
    {
        JsonObject? result = null;
        foreach (var o in objects.OfType<JsonObject>())
        {
            result ??= new JsonObject();
            foreach (var kv in o) result[kv.Key] = kv.Value?.DeepClone();
        }
        return result;
    }

    private static string AvailableProfiles(IEnumerable<string> nukeDirectories)
    {
        var names = nukeDirectories.Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "parameters.*.json"))
            .Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length]).Distinct().Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }

    /// <summary>A list-valued built-in (Target, Skip, Verbosity) from the profile file, else parameters.json; null when neither has it.</summary>
    private List<string>? JsonList(string key)
    {
        foreach (var o in new[] { _profileJson, _json })
            if (o?.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { } node)
                return node is JsonArray a ? a.Select(n => n?.ToString() ?? "").ToList() : [node.ToString()];
        return null;
    }

    /// <summary>[Parameter] fields and properties of the class and its bases, then those of its component interfaces.</summary>
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

    private static void SetValue(SlipwayBuild build, MemberInfo m, object value)
    {
        // A component interface's property has no field: the build keeps its value for TryGetValue.
        if (m.DeclaringType is { IsInterface: true } component) { build.SetComponentParameter(component, m.Name, value); return; }
        switch (m)
        {
            case FieldInfo f: f.SetValue(build, value); break;
            case PropertyInfo p when p.SetMethod is not null: p.SetValue(build, value); break;
            case PropertyInfo p:
                var backing = p.DeclaringType!.GetField($"<{p.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);
                backing?.SetValue(build, value);
                break;
        }
    }

    private static object? GetValue(SlipwayBuild build, MemberInfo m) => m switch { FieldInfo f => f.GetValue(build), PropertyInfo p => p.GetValue(build), _ => null };
}
