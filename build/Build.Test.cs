using System.Text.RegularExpressions;
using System.Xml.Linq;
using Slipway.Engine;
using Slipway.Engine.Ci;
using Slipway.Tooling;

partial class Build
{
    [Parameter("Only run tests whose name matches this xunit filter expression")]
    readonly string? TestFilter;

    Target Test => _ => _
        .Description("Runs every xunit suite against real registries, buildah and nix; prints 'N passed, N failed'")
        .DependsOn(SetupTests, Compile)
        .Executes(async ct =>
        {
            var results = ArtifactsDirectory / "test-results";
            if (Directory.Exists(results)) Directory.Delete(results, true);
            var args = new List<string> { "test", Solution, "-c", Configuration.ToString(), "--no-build", "--nologo",
                "--logger", "trx", "--results-directory", results, "--logger", "console;verbosity=minimal" };
            if (TestFilter is not null) args.AddRange(["--filter", TestFilter]);
            // The CLI tests run the published artifacts/bin/slipway (native where Compile could build it), not the
            // JIT copy next to the test assembly, so what users run is what is tested.
            var env = new Dictionary<string, string?> { ["SLIPWAY_CLI"] = ArtifactsDirectory / "bin/slipway" };
            var run = await ToolRunner.RunAsync(new ToolInvocation("dotnet", args) { OnLine = Log.Info, TailLines = 200, Environment = env }, ct);
            int passed = 0, failed = 0, skipped = 0;
            // Counted from each result's outcome: the trx Counters element leaves xunit's skips out of notExecuted.
            foreach (var trx in Directory.Exists(results) ? Directory.GetFiles(results, "*.trx") : [])
                foreach (var result in XDocument.Load(trx).Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
                    switch ((string?)result.Attribute("outcome"))
                    {
                        case "Passed": passed++; break;
                        case "NotExecuted": skipped++; break;
                        default: failed++; break;
                    }
            Log.Raw($"Tests: {passed} passed, {failed} failed, {skipped} skipped");
            ReportSummary($"{passed} passed, {failed} failed, {skipped} skipped");
            if (!run.Succeeded || failed > 0) throw new InvalidOperationException($"{failed} test(s) failed (dotnet test exited {run.ExitCode})");
            if (passed == 0) throw new InvalidOperationException("no test ran");
        });

    Target CheckWorkflows => _ => _
        .Description("Fails when .github/workflows/*.yml or .gitlab-ci.yml differ from what the CI declarations ([GitHubActions], [GitHubImageWorkflow], [GitLabCI]) generate, or do not pass GitHub's workflow parser and GitLab's CI schema")
        .TriggeredBy(Test)
        .DependsOn(SetupTests)
        .Executes(async ct =>
        {
            var differences = CiFiles.Differences(this, BuildRepositoryDirectory);
            if (differences.Count > 0) throw new InvalidOperationException(string.Join("; ", differences));
            await ValidateCiFiles(ct);
        });
}
