using System.Text.RegularExpressions;
using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>
/// C and C++ apps built with CMake (<c>CMakeLists.txt</c>) or Meson (<c>meson.build</c>) on the <c>cpp</c> base
/// (Debian bookworm's g++ 12, cmake 3.25, meson 1.0, ninja), into <c>build/</c>; the executable (the first
/// <c>add_executable</c> / <c>executable</c>, else the project's name) runs on <c>debian</c>, whose minbase has
/// the C++ runtime (libstdc++6, libgcc-s1). Libraries beyond those are the app's to name (railpack.json
/// deploy.aptPackages).
/// </summary>
public sealed partial class CppProvider : IProvider
{
    public string Name => "cpp";
    public string LooksFor => "CMakeLists.txt or meson.build";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        string file, build;
        string? target;
        if (app.Read("CMakeLists.txt") is { } cmake)
        {
            file = "CMakeLists.txt";
            target = First(CMakeExecutable(), cmake) ?? First(CMakeProject(), cmake);
            build = "cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build";
        }
        else if (app.Read("meson.build") is { } meson)
        {
            file = "meson.build";
            target = First(MesonExecutable(), meson) ?? First(MesonProject(), meson);
            build = "meson setup build --buildtype=release && meson compile -C build";
        }
        else return null;
        if (target is null)
            throw new FormatException($"{file}: names no executable (add_executable / executable) or project; an app needs one");
        var exe = "build/" + target;
        return new BuildPlan
        {
            Provider = Name,
            Framework = file == "CMakeLists.txt" ? "cmake" : "meson",
            BuildBase = "cpp",
            RuntimeBase = "debian",
            RuntimePackages = ["libstdc++6", "libgcc-s1"],
            Build = [build],
            Output = [exe],
            Start = "exec ./" + Shell.Quote(exe),
            DecidedBy = [file],
        };
    }

    /// <summary>The first capture, when it is a plain file name (a value that would reach a shell only quoted anyway).</summary>
    private static string? First(Regex regex, string text) =>
        regex.Match(text) is { Success: true } m && m.Groups[1].Value is { Length: > 0 and <= 200 } v && !v.Contains("..") && v.All(c => char.IsAsciiLetterOrDigit(c) || "-_.+".Contains(c)) ? v : null;

    [GeneratedRegex(@"^\s*add_executable\s*\(\s*([^\s)""]+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CMakeExecutable();
    [GeneratedRegex(@"^\s*project\s*\(\s*([^\s)""]+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CMakeProject();
    [GeneratedRegex(@"^\s*executable\s*\(\s*'([^']+)'", RegexOptions.Multiline)]
    private static partial Regex MesonExecutable();
    [GeneratedRegex(@"^\s*project\s*\(\s*'([^']+)'", RegexOptions.Multiline)]
    private static partial Regex MesonProject();
}
