using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Slipway.Testing;

/// <summary>Thrown (by <see cref="HostTools"/> or a fixture) when a part the test needs cannot exist here: reported as skipped.</summary>
public sealed class SkipException(string reason) : Exception(reason);

/// <summary>
/// A [Fact] whose <see cref="SkipException"/> is reported as a skip (counted as skipped in the summary, with the
/// reason), not as a failure and never as a silent pass. xunit 2 only skips statically; this adds the runtime case.
/// </summary>
[XunitTestCaseDiscoverer("Slipway.Testing.SkippableFactDiscoverer", "Slipway.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippableFactAttribute : FactAttribute;

/// <summary>The [Theory] counterpart of <see cref="SkippableFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Slipway.Testing.SkippableTheoryDiscoverer", "Slipway.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippableTheoryAttribute : TheoryAttribute;

public sealed class SkippableFactDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        [new SkippableTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method)];
}

public sealed class SkippableTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute, object[] row) =>
        [new SkippableTestCase(DiagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, row)];
}

public sealed class SkippableTestCase : XunitTestCase
{
    [Obsolete("For deserialization only")]
    public SkippableTestCase() { }

    public SkippableTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method, object[]? arguments = null)
        : base(sink, display, displayOptions, method, arguments) { }

    public override async Task<RunSummary> RunAsync(IMessageSink sink, IMessageBus bus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellation)
    {
        var skipping = new SkippingBus(bus);
        var summary = await base.RunAsync(sink, skipping, constructorArguments, aggregator, cancellation);
        summary.Failed -= skipping.Skipped;
        summary.Skipped += skipping.Skipped;
        return summary;
    }

    /// <summary>Turns a failure whose exception is a <see cref="SkipException"/> into a skip with its message as the reason.</summary>
    private sealed class SkippingBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(SkipException).FullName)
            {
                Skipped++;
                var reason = failed.Messages.FirstOrDefault() ?? "skipped";
                const string prefix = "Slipway.Testing.SkipException : ";
                return inner.QueueMessage(new TestSkipped(failed.Test, reason.StartsWith(prefix, StringComparison.Ordinal) ? reason[prefix.Length..] : reason));
            }
            return inner.QueueMessage(message);
        }

        public void Dispose() => inner.Dispose();
    }
}
