using System.Reflection;
using Slipway.Engine.Planning;

namespace Slipway.Engine;

/// <summary>
/// Turns a build object into its <see cref="TargetDefinition"/>s (Nuke's ExecutableTargetFactory): every Target
/// property, the class's own, then those of its component interfaces (default implementations, or the class's
/// explicit re-implementation, which a call through the interface reaches). Names are the property names;
/// references between targets become names, so the planner only ever sees names.
/// </summary>
internal static class ExecutableTargetFactory
{
    public static List<TargetDefinition> Create(SlipwayBuild build, Func<SlipwayBuild, Target>? defaultTarget, out string? defaultName)
    {
        const BindingFlags instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        static bool IsTarget(PropertyInfo p) => p.PropertyType == typeof(Target) && p.GetMethod is not null && !p.Name.Contains('.');
        var type = build.GetType();
        var own = type.GetProperties(instance).Where(IsTarget).ToList();
        var components = type.GetInterfaces().SelectMany(i => i.GetProperties(instance)).Where(IsTarget)
            .Where(p => own.All(o => o.Name != p.Name)).ToList();
        var delegates = own.Concat(components).Select(p => (p.Name, Delegate: (Target)p.GetValue(build)!)).ToList();
        string NameOf(Target t) => delegates.FirstOrDefault(d => d.Delegate.Equals(t)).Name
            ?? throw new PlanningException("A target reference does not match any Target property");
        var definitions = delegates.Select(d =>
        {
            var definition = new TargetDefinition(d.Name) { Build = build };
            d.Delegate(definition);
            return definition;
        }).ToList();
        foreach (var definition in definitions)
            foreach (var list in new[] { definition.DependsOnRefs, definition.DependentForRefs, definition.AfterRefs, definition.BeforeRefs, definition.TriggersRefs, definition.TriggeredByRefs })
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is Target t) list[i] = NameOf(t);
        defaultName = defaultTarget is null ? null : NameOf(defaultTarget(build));
        return definitions;
    }
}
