using Slipway.Builder.Model;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Model;

public class SecretTests
{
    [Fact]
    public void A_spec_printed_or_failed_never_shows_its_secrets()
    {
        var token = "ghs_" + Guid.NewGuid().ToString("N");
        var spec = new BuildSpec { BuildId = "b1", RepoCloneUrl = "https://example.test/o/r.git", GitToken = new Secret(token) };

        Assert.DoesNotContain(token, spec.ToString());
        Assert.Equal(token, spec.GitToken!.Reveal());
        var failure = new StepFailure("clone", FailureClass.Transient, $"fatal: could not read from {token}", [$"line with {token}"]);
        Assert.DoesNotContain(token, failure.Message);
        Assert.DoesNotContain(token, failure.LogTail[0]);
    }
}
