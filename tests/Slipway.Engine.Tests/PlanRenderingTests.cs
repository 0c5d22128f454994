using System.Text.RegularExpressions;
using Slipway.Engine.Execution;
using Slipway.Engine.Output;
using Slipway.Engine.Planning;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Engine.Tests;

/// <summary>The --plan page, loaded by headless Chromium (Debian's chromium) from a file with no network.</summary>
public class PlanRenderingTests
{
    [Fact]
    public async Task The_plan_page_loads_offline_in_chromium_and_shows_every_target()
    {
        var defs = new[]
        {
            new TargetDefinition("Restore"), new TargetDefinition("Compile").DependsOn("Restore"),
            new TargetDefinition("Test").DependsOn("Compile"), new TargetDefinition("Pack").DependsOn("Compile").After("Test"),
            new TargetDefinition("Publish").DependsOn("Pack", "Test"), new TargetDefinition("Notify").TriggeredBy("Publish"),
            new TargetDefinition("Docs <&>"),
        };
        defs[2].OnlyWhenStatic(() => false);
        var plan = TargetExecutor.ApplyStaticConditions(ExecutionPlanner.Plan(defs, ["Publish"], null));
        var html = ExecutionPlanWriter.Html(defs, plan);
        // Nothing to fetch: no script, stylesheet, image or font from anywhere.
        Assert.DoesNotMatch(new Regex(@"<script|<link|<img|@import|url\((?!#)", RegexOptions.IgnoreCase), html);

        using var dir = new TempDir("plan-html");
        var page = dir.Write("execution-plan.html", html);
        var chromium = await ToolRunner.RunAsync(new ToolInvocation("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={dir.Combine("profile")}",
             "--proxy-server=http://127.0.0.1:9", "--virtual-time-budget=2000", "--dump-dom", new Uri(page).AbsoluteUri])
        { CaptureStandardOutput = true, TailLines = 40 });
        Assert.True(chromium.ExitCode == 0, string.Join("\n", chromium.Tail));
        var dom = chromium.StandardOutput;
        // Chromium parsed the SVG into the DOM: one node group per target, with its rectangle and label.
        foreach (var name in new[] { "Restore", "Compile", "Test", "Pack", "Publish", "Notify", "Docs &lt;&amp;&gt;" })
            Assert.Matches(new Regex($"<g class=\"node[^\"]*\" data-target=\"{Regex.Escape(name)}\">.*?<rect [^>]*>.*?<text [^>]*>{Regex.Escape(name)}</text></g>", RegexOptions.Singleline), dom);
        Assert.Contains("data-target=\"Test\"", Regex.Match(dom, "<g class=\"node planned skipped\"[^>]*>").Value);
        Assert.Contains("<g class=\"node\" data-target=\"Docs &lt;&amp;&gt;\">", dom);
        Assert.Equal(7, Regex.Matches(dom, "<path class=\"edge ").Count);
    }
}
