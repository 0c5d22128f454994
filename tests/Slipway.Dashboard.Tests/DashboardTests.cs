using Microsoft.Playwright;
using Slipway.Testing;

namespace Slipway.Dashboard.Tests;

/// <summary>app/ (server.js and the page) in Debian's headless Chromium: load, filter, a failed build's log tail, tags marked [main]/[branch], empty and error states.</summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private const string Builds = """
        [
          {"id":"b-103","tenant":"acme","service":"web","status":"FAILED","attempt":3,"maxAttempts":3,"final":true,"version":null,
           "image":null,"digest":null,"commit":"9f1c2d3e4b5a69788796a5b4c3d2e1f009182736","ref":"main","repo":"https://git.example/acme/web.git",
           "createdAt":"2026-11-30T05:00:00Z","startedAt":"2026-11-30T05:00:01Z","finishedAt":"2026-11-30T05:00:31Z","durationMs":30000,
           "failedStep":"build","error":"npm run build exited 1","logTail":["> web@1.0.0 build","> vite build","error TS2304: Cannot find name 'foo'."]},
          {"id":"b-102","tenant":"acme","service":"web","status":"SUCCEEDED","attempt":1,"maxAttempts":3,"final":true,"version":7,
           "image":"127.0.0.1:5000/tenants/acme/web:7","digest":"sha256:4b2a9c0d4b2a9c0d4b2a9c0d4b2a9c0d4b2a9c0d4b2a9c0d4b2a9c0d4b2a9c0d",
           "commit":"1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d","ref":"main","repo":"https://git.example/acme/web.git",
           "createdAt":"2026-11-30T04:50:00Z","startedAt":"2026-11-30T04:50:01Z","finishedAt":"2026-11-30T04:50:20Z","durationMs":19000,
           "failedStep":null,"error":null,"logTail":[]},
          {"id":"b-101","tenant":"globex","service":"api","status":"RUNNING","attempt":2,"maxAttempts":3,"final":false,"version":null,
           "image":null,"digest":null,"commit":null,"ref":"feature/x","repo":"https://git.example/globex/api.git",
           "createdAt":"2026-11-30T05:01:00Z","startedAt":"2026-11-30T05:01:02Z","finishedAt":null,"durationMs":null,
           "failedStep":null,"error":null,"logTail":[]}
        ]
        """;

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly TempDir _temp = new("dashboard");

    public async Task InitializeAsync()
    {
        var chromium = Slipway.Tooling.ToolRunner.Which("chromium") ?? throw new InvalidOperationException("chromium is not on PATH; ./build.sh Setup installs it");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _temp.Dispose();
    }

    private string WriteReports()
    {
        _temp.Write("images.json", """
            {"revision":"1a2b3c4d5e6f","branch":"main","created":"2026-11-30T04:40:00Z","images":[
              {"name":"hello-service","method":"dockerfile","status":"pushed","destination":"docker://127.0.0.1:5000/team/hello-service",
               "tags":["v1.2.0-1a2b3c4","latest"],"digest":"sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999"},
              {"name":"toolbox","method":"dockerfile","status":"up-to-date","destination":"docker://127.0.0.1:5000/team/toolbox",
               "tags":["v0.3.1-1a2b3c4"],"digest":"sha256:1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff"}]}
            """);
        // The shape `./build.sh ListImages --json` writes (Slipway.Release's TagTable.Json).
        _temp.Write("tags.json", """
            {"schemaVersion":1,"tags":[
               {"image":"hello-service","repository":"docker://127.0.0.1:5000/team/hello-service","tag":"v1.2.0-1a2b3c4","digest":"sha256:aaaa","version":"1.2.0","revision":"1a2b3c4d","created":"2026-11-30T04:40:00Z","mark":"main"},
               {"image":"hello-service","repository":"docker://127.0.0.1:5000/team/hello-service","tag":"v1.2.0-77e8f90","digest":"sha256:bbbb","version":"1.2.0","revision":"77e8f901","created":"2026-11-29T18:00:00Z","mark":"branch"}]}
            """);
        return _temp.Combine("images.json");
    }

    [Fact]
    public async Task Builds_load_filter_and_a_failed_build_opens_its_log_tail()
    {
        using var api = new FakeBuilderApi(Builds);
        await using var server = await DashboardServer.StartAsync(api.Url, WriteReports(), _temp.Combine("tags.json"));
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await page.GotoAsync(server.Url);

        var rows = page.Locator("#builds tbody tr.build");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#builds tbody tr.build.succeeded td").Nth(2)).ToHaveTextAsync("v7");

        await page.SelectOptionAsync("#filter-status", "FAILED");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        Assert.Contains("status=FAILED", page.Url);

        await rows.First.ClickAsync();
        var log = page.Locator("tr.log[data-log-for='b-103']");
        await Assertions.Expect(log).ToContainTextAsync("step build failed: npm run build exited 1");
        await Assertions.Expect(log).ToContainTextAsync("error TS2304: Cannot find name 'foo'.");

        // The open log tail survives the filter change and auto-refresh re-rendering the table.
        await page.SelectOptionAsync("#filter-status", "");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(log).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardServer.FindRoot(), "artifacts", "dashboard-builds.png"), FullPage = true });
    }

    [Fact]
    public async Task Images_show_tags_marked_main_and_branch()
    {
        using var api = new FakeBuilderApi("[]");
        await using var server = await DashboardServer.StartAsync(api.Url, WriteReports(), _temp.Combine("tags.json"));
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(server.Url + "/#tab=images");

        var hello = page.Locator("#images tbody tr", new() { HasText = "hello-service" });
        await Assertions.Expect(hello).ToContainTextAsync("v1.2.0-1a2b3c4 [main]");
        await Assertions.Expect(hello).ToContainTextAsync("v1.2.0-77e8f90 [branch]");
        await page.SelectOptionAsync("#filter-mark", "branch");
        await Assertions.Expect(page.Locator("#images tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(hello).Not.ToContainTextAsync("[main]");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardServer.FindRoot(), "artifacts", "dashboard-images.png"), FullPage = true });
    }

    [Fact]
    public async Task No_builds_shows_the_empty_state_and_an_unreachable_api_the_error_state()
    {
        using (var api = new FakeBuilderApi("[]"))
        await using (var server = await DashboardServer.StartAsync(api.Url, null, null))
        {
            var page = await _browser.NewPageAsync();
            await page.GotoAsync(server.Url);
            await Assertions.Expect(page.Locator("#builds-state")).ToContainTextAsync("No builds yet");
            await page.ClickAsync("button[data-tab='images']");
            await Assertions.Expect(page.Locator("#images-state")).ToContainTextAsync("No images yet");
        }

        var closed = $"http://127.0.0.1:{FreePort.Next()}";
        await using var orphan = await DashboardServer.StartAsync(closed, null, null);
        var errorPage = await _browser.NewPageAsync();
        await errorPage.GotoAsync(orphan.Url);
        await Assertions.Expect(errorPage.Locator("#builds-state.error")).ToContainTextAsync($"builder API at {closed} unreachable");
    }
}
