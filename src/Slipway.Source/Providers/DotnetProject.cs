using System.Runtime.CompilerServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Exceptions;
using Microsoft.Build.Locator;

namespace Slipway.Source.Providers;

/// <summary>What MSBuild's evaluation of a .NET project says about publishing it.</summary>
public sealed record DotnetProject(
    string Path, string TargetFramework, string AssemblyName, bool Web, bool Executable, bool SelfContained, bool PublishAot, string? RuntimeIdentifier, IReadOnlyList<string> PackageReferences)
{
    private static readonly Lock Gate = new();

    /// <summary>
    /// Evaluates <paramref name="projectFile"/> with the installed SDK's MSBuild (found by Microsoft.Build.Locator
    /// on first use, so SDK props/targets, Directory.Build.props and conditions apply as in `dotnet publish`).
    /// </summary>
    public static DotnetProject Evaluate(string projectFile, string relativePath)
    {
        lock (Gate)
        {
            if (!MSBuildLocator.IsRegistered)
            {
                var sdk = MSBuildLocator.QueryVisualStudioInstances().OrderByDescending(i => i.Version).FirstOrDefault()
                    ?? throw new FormatException($"{relativePath}: evaluating a .NET project needs a .NET SDK on this machine (dotnet on PATH or DOTNET_ROOT); none was found");
                MSBuildLocator.RegisterInstance(sdk);
            }
            return EvaluateRegistered(projectFile, relativePath);
        }
    }

    // Kept apart (never inlined) so no MSBuild type is touched before the locator has registered the SDK's assemblies.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DotnetProject EvaluateRegistered(string projectFile, string relativePath)
    {
        using var collection = new ProjectCollection();
        try
        {
            var project = collection.LoadProject(projectFile);
            var tfm = project.GetPropertyValue("TargetFramework");
            if (tfm.Length == 0)
            {
                // Multi-targeting: publish the newest .NET target.
                var all = project.GetPropertyValue("TargetFrameworks").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                tfm = all.Where(t => t.StartsWith("net", StringComparison.Ordinal) && t.Contains('.')).OrderByDescending(t => Version.TryParse(t[3..].Split('-')[0], out var v) ? v : new Version()).FirstOrDefault()
                    ?? throw new FormatException($"{relativePath}: no TargetFramework (netX.Y) to publish; found '{string.Join(";", all)}'");
            }
            bool Yes(string name) => string.Equals(project.GetPropertyValue(name), "true", StringComparison.OrdinalIgnoreCase);
            var outputType = project.GetPropertyValue("OutputType");
            var web = Yes("UsingMicrosoftNETSdkWeb");
            return new DotnetProject(
                relativePath,
                tfm,
                project.GetPropertyValue("AssemblyName") is { Length: > 0 } a ? a : System.IO.Path.GetFileNameWithoutExtension(projectFile),
                web,
                web || outputType.Equals("Exe", StringComparison.OrdinalIgnoreCase) || outputType.Equals("WinExe", StringComparison.OrdinalIgnoreCase),
                Yes("SelfContained"),
                Yes("PublishAot"),
                project.GetPropertyValue("RuntimeIdentifier") is { Length: > 0 } rid ? rid : null,
                project.GetItems("PackageReference").Select(i => i.EvaluatedInclude).Order(StringComparer.Ordinal).ToList());
        }
        catch (InvalidProjectFileException e)
        {
            var where = e.LineNumber > 0 ? $"{relativePath}:{e.LineNumber}" : relativePath;
            throw new FormatException($"{where}: MSBuild cannot evaluate the project: {e.BaseMessage}");
        }
        finally
        {
            collection.UnloadAllProjects();
        }
    }
}
