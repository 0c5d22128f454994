using Slipway.Source.Plan;
using Slipway.Source.Providers;

namespace Slipway.Builder.Validation;

/// <summary>
/// The service's Railpack and Nixpacks settings (<c>RAILPACK_*</c>, <c>NIXPACKS_*</c>: node version, install/build/start
/// commands, packages) that a build request or the builder container's environment carries to the source engine,
/// which reads them as the peers do. Only those prefixes pass; a name or value that could not be an environment
/// variable is refused in one line.
/// </summary>
public static class PeerVariables
{
    public const int MaxCount = 64;
    public const int MaxValue = 4096;

    public static bool IsPeerName(string name) => PeerConfig.IsSetting(name);

    /// <summary>The checked variables; a bad one throws a <see cref="FormatException"/> naming it.</summary>
    public static IReadOnlyDictionary<string, string> Check(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            var printable = Shell.Printable(name);
            if (!IsPeerName(name) || name.Length > 128 || !name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
                throw new FormatException($"'{printable}' is not a RAILPACK_* or NIXPACKS_* setting (upper-case letters, digits, _); only those reach the build");
            var v = value ?? "";
            if (v.Length > MaxValue || v.Contains('\0'))
                throw new FormatException($"{name}: the value must be at most {MaxValue} characters without NUL");
            result[name] = v;
        }
        if (result.Count > MaxCount) throw new FormatException($"{result.Count} RAILPACK_*/NIXPACKS_* settings; the limit is {MaxCount}");
        return result;
    }
}
