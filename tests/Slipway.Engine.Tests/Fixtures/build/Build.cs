using Slipway.Engine;

class Build : SlipwayBuild
{
    public static int Main() => Execute<Build>(x => x.Good);

    [Parameter("Says hello to")] readonly string Name = "world";
    [Parameter("A token"), Secret] readonly string? Token;

    Target Good => _ => _.Description("Succeeds").Executes(() =>
    {
        Log.Info($"hello {Name}, token {Token}");
        ReportSummary("greeted " + Name);
    });

    Target Bad => _ => _.DependsOn(Good).Executes(() => throw new InvalidOperationException("bad target broke"));

    Target AfterBad => _ => _.DependsOn(Bad).Executes(() => Log.Info("never"));

    Target Cleanup => _ => _.TriggeredBy(Bad).AssuredAfterFailure().Executes(() => Log.Info("cleanup ran"));

    Target OnlyOnCi => _ => _.OnlyWhenStatic(() => IsServerBuild && Name == "ci").Executes(() => { });
}
