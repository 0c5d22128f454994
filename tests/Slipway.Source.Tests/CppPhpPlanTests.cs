using Slipway.Source.Plan;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Source.Tests;

/// <summary>The C/C++ (CMake, Meson) and PHP providers' plans.</summary>
public sealed class CppPhpPlanTests
{
    private static readonly PackageMirrors Mirrors = new() { Npm = null };

    [Fact]
    public void A_CMake_project_builds_on_the_cpp_base_and_runs_its_executable_on_debian()
    {
        using var app = new TempDir("cmake");
        app.Write("CMakeLists.txt", "cmake_minimum_required(VERSION 3.15)\nproject(hello LANGUAGES CXX)\n\nadd_executable(hello-bin main.cc)\n");
        app.Write("main.cc", "int main() {}\n");
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal(("cpp", "cmake", "cpp", "debian"), (plan.Provider, plan.Framework, plan.BuildBase, plan.RuntimeBase));
        Assert.Equal(["cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build"], plan.Build);
        Assert.Equal(["build/hello-bin"], plan.Output);
        Assert.Equal("exec ./build/hello-bin", plan.Start);
    }

    [Fact]
    public void A_Meson_project_builds_with_meson_and_runs_its_executable()
    {
        using var app = new TempDir("meson");
        app.Write("meson.build", "project('proj', ['cpp'])\n\nexecutable('tool', ['main.cc'])\n");
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal(("cpp", "meson"), (plan.Provider, plan.Framework));
        Assert.Equal(["meson setup build --buildtype=release && meson compile -C build"], plan.Build);
        Assert.Equal("exec ./build/tool", plan.Start);
    }

    [Fact]
    public void A_target_name_with_shell_syntax_is_not_taken_and_the_project_needs_a_name()
    {
        using var app = new TempDir("cmake-hostile");
        app.Write("CMakeLists.txt", "project(x$(touch /tmp/pwned))\nadd_executable(;reboot main.cc)\n");
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.Equal("CMakeLists.txt: names no executable (add_executable / executable) or project; an app needs one", e.Message);
    }

    [Fact]
    public void A_PHP_app_is_served_by_php_on_PORT_from_the_php_base()
    {
        using var app = new TempDir("php");
        app.Write("index.php", "<?php echo 'hi';\n");
        app.Write("composer.json", """{ "require": { "php": "^8.2", "ext-json": "*" } }""");
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal(("php", "php", null), (plan.Provider, plan.RuntimeBase, plan.BuildBase));
        Assert.Equal("exec php -S 0.0.0.0:${PORT} -t /app", plan.Start);
        Assert.Equal(new PlanVersion("php", "8.2", "composer.json require.php"), Assert.Single(plan.Versions));
    }

    [Theory]
    [InlineData("""{ "require": { "php": "^8.3" } }""", "composer.json require.php: '^8.3' does not accept PHP 8.2")]
    [InlineData("""{ "require": { "php": ">=8.0", "laravel/framework": "^11" } }""", "composer.json require: 'laravel/framework' comes from Packagist")]
    [InlineData("""{ "require": { "php": "8$(touch /tmp/x)" } }""", "composer.json require.php: '8$(touch /tmp/x)' is not a version or range")]
    public void A_PHP_app_Debian_cannot_serve_is_one_line(string composer, string expected)
    {
        using var app = new TempDir("php-bad");
        app.Write("composer.json", composer);
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Composer_alternatives_with_one_bar_are_ranges()
    {
        using var app = new TempDir("php-bar");
        app.Write("composer.json", """{ "require": { "php": "^7.4 | ^8.0" } }""");
        Assert.Equal("php", new Detector(Mirrors).Detect(app.Path).Provider);
    }
}
