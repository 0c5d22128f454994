using Slipway.Engine.Parameters;

namespace Slipway.Engine.Extensions;

/// <summary>
/// Keeps .nuke/build.schema.json equal to the declarations on every run (written only when it differs);
/// --generate-schema writes it and runs nothing.
/// </summary>
public sealed class WriteSchemaAttribute : BuildExtensionAttribute, IOnBuildCreated
{
    public override int Priority => 100;

    public void OnBuildCreated(BuildRun run)
    {
        var nuke = run.Build.BuildRepositoryDirectory / ".nuke";
        if (Directory.Exists(nuke))
        {
            var path = nuke / "build.schema.json";
            var schema = SchemaGenerator.Generate(run.Parameters.Select(p => p.Info).ToList(), run.Targets.Where(t => !t.IsUnlisted).Select(t => t.Name).ToList());
            if (!File.Exists(path) || File.ReadAllText(path) != schema) File.WriteAllText(path, schema);
        }
        if (run.HasSwitch("generate-schema")) run.Exit(0);
    }
}
