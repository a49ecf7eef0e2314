using System.Collections.Concurrent;
using System.Net;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace HardwareMaster.Web.Tests;

/// <summary>
/// One paced headless run of the box (pink noise, 48 kHz, 256-frame blocks, through the real <see cref="RunHost"/> with
/// remote control on), its web page on 127.0.0.1 at a free port, and one headless Debian chromium — shared by the tests
/// of the <see cref="BoxCollection"/>.
/// </summary>
public sealed class BoxUnderTest : IAsyncLifetime
{
    /// <summary>Debian's chromium (scripts/install-deps.sh installs it). Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long any condition is waited for.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private Task<int>? _run;
    private IPlaywright? _playwright;

    /// <summary>The state directory (secret, presets).</summary>
    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "hm-web-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The remote hub of the run.</summary>
    public RemoteHub Hub { get; private set; } = null!;

    /// <summary>The web server.</summary>
    public RemoteWebServer Server { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>What the web server logged.</summary>
    public CapturingLogger Log { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(StateDirectory);
        RunRequest? request = RunCommand.Build(
            null,
            new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null),
            600,
            null,
            0,
            out IReadOnlyList<string> problems,
            simulate: new SimulateOptions(false, null, null, StateDirectory, false),
            remote: "127.0.0.1:0");
        Assert.True(request is not null, string.Join("\n", problems));
        Hub = request!.Remote!;
        Assert.Equal(StateDirectory, Hub.StateDirectory);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), request.RemoteWeb);
        // The run's own web service would listen on the port asked for; the tests need to know the free port, so they
        // start the same server on the run's hub themselves.
        _run = RunHost.RunAsync(request with { RemoteWeb = null, Stop = _stop.Token }, logging => logging.ClearProviders());
        Server = await RemoteWebServer.StartAsync(Hub, new IPEndPoint(IPAddress.Loopback, 0), Log);
        using var wait = new CancellationTokenSource(Patience);
        while (Hub.State.Frames == 0 || Hub.State.ReadMeters().Blocks == 0)
        {
            Assert.False(_run.IsCompleted, "the run ended before it played");
            await Task.Delay(20, wait.Token);
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run scripts/install-deps.sh (it installs Debian's chromium)");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await _stop.CancelAsync();
        if (_run is not null)
        {
            Assert.Equal(0, await _run.WaitAsync(Patience));
        }

        Directory.Delete(StateDirectory, recursive: true);
    }

    /// <summary>The registry index of <paramref name="id"/>.</summary>
    public static int Index(string id) => ParameterRegistry.Chain.IndexOf(id);

    /// <summary>The value the box's control thread last published for <paramref name="id"/>.</summary>
    public double Value(string id)
    {
        var values = new double[ParameterRegistry.Chain.Count];
        Hub.State.CopyValues(values);
        return values[Index(id)];
    }

    /// <summary>Waits until <paramref name="condition"/> holds (fails after <see cref="Patience"/>).</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        DateTime end = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, "timed out waiting for: " + what);
            await Task.Delay(20);
        }
    }
}

/// <summary>The tests sharing one run and one browser.</summary>
[CollectionDefinition(nameof(BoxCollection))]
public sealed class BoxCollection : ICollectionFixture<BoxUnderTest>
{
}

/// <summary>An <see cref="ILogger"/> that keeps every line.</summary>
public sealed class CapturingLogger : ILogger
{
    /// <summary>The lines.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
