using Slipway.Tooling;

namespace Slipway.Engine.Tests;

/// <summary>The console writer every target's output goes through once a build runs.</summary>
public class OutputTests
{
    [Fact]
    public void Lines_are_emitted_whole_redacted_even_when_a_secret_spans_two_writes()
    {
        Secrets.Register("split-secret-value-789");
        var inner = new StringWriter();
        var writer = new LineWriter(inner);
        writer.Write("token split-secret");
        writer.Write("-value-789 end\nsecond ");
        Assert.Equal("token [REDACTED] end\n", inner.ToString().Replace("\r\n", "\n"));
        writer.Flush();
        Assert.EndsWith("second \n", inner.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Partial_lines_of_two_targets_never_mix()
    {
        var inner = new StringWriter();
        var writer = new LineWriter(inner);
        using var gate = new SemaphoreSlim(0);
        async Task Target(string name, string a, string b)
        {
            using var scope = Log.Scope(name);
            writer.Write(a);
            await Task.Yield();
            writer.WriteLine(b);
        }
        await Task.WhenAll(Target("A", "a1 ", "a2"), Target("B", "b1 ", "b2"));
        var lines = inner.ToString().Replace("\r\n", "\n").TrimEnd().Split('\n');
        Assert.Equal(["a1 a2", "b1 b2"], lines.Order());
    }
}
