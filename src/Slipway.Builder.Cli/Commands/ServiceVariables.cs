using System.Collections;
using Slipway.Source.Imaging;
using Slipway.Source.Plan;
using Slipway.Source.Providers;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// The service's variables of <c>detect</c> and <c>build-source</c>, as Railpack's CLI takes them: <c>--env KEY=VALUE</c>
/// (repeatable; <c>--env KEY</c> takes KEY's value from this process's environment, like <c>docker run -e KEY</c>),
/// over the process environment's <c>RAILPACK_*</c> and <c>NIXPACKS_*</c> variables. Detection reads the peers'
/// settings among them; every one is a build secret of the steps (never in the image).
/// </summary>
public static class ServiceVariables
{
    public static IReadOnlyDictionary<string, string> From(IReadOnlyList<string> env, IDictionary environment)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in environment)
            if (e.Key is string k && e.Value is string v && PeerConfig.IsSetting(k)) result[k] = v;
        foreach (var given in env)
        {
            var eq = given.IndexOf('=');
            var name = eq < 0 ? given : given[..eq];
            if (!BuildSecrets.IsVariableName(name))
                throw new UsageException($"--env '{Shell.Printable(given)}': give KEY=VALUE (KEY: letters, digits, _), or KEY to take its value from the environment");
            var value = eq < 0 ? environment[name] as string : given[(eq + 1)..];
            if (value is null) throw new UsageException($"--env {name}: {name} is not set in the environment; give --env {name}=VALUE");
            if (value.Contains('\0')) throw new UsageException($"--env {name}: the value holds a NUL character");
            result[name] = value;
        }
        return result;
    }
}
