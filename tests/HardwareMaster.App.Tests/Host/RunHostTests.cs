using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Host;

/// <summary>
/// How <c>hardwaremaster run</c> ends: a device that cannot be used ends it at once (exit 78, one line on stderr), and
/// SIGHUP stops it as cleanly as SIGTERM (statistics written, exit 0). Redirects the process-wide Console, so serial.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class RunHostTests : IDisposable
{
    /// <summary>Safety net only: every wait ends on its condition (a log line, the process exit) long before this.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-runhost-" + Guid.NewGuid().ToString("N")[..8]);

    public RunHostTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_DeviceCannotRecover_ExitsWithTheConfigurationCodeAndOneLine()
    {
        var script = new DeviceScript(options => new GeneratorAudioDevice(new SilenceSignal(), options))
            .ThenFail("alsa:hm_typo: cannot open ALSA playback device 'hm_typo': unknown PCM 'hm_typo'", canRecover: false);
        RunRequest? request = RunCommand.Build(
            null, new RunConfigurationOverrides(script.Spec, null, null, null, null, 0, null), null, Path.Combine(_dir, "stats.json"), 0, out IReadOnlyList<string> problems);
        Assert.Empty(problems);

        (int code, _, string error) = await CliRunner.CaptureAsync(() => RunHost.RunAsync(request!, logging => logging.ClearProviders()).WaitAsync(Patience));

        Assert.Equal(78, code);
        Assert.Equal(1, script.Opens);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("hardwaremaster: alsa:hm_typo: cannot open ALSA playback device 'hm_typo': unknown PCM 'hm_typo'", line, StringComparison.Ordinal);
        Assert.Contains("not retried", line, StringComparison.Ordinal);
        using JsonDocument stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "stats.json")));
        Assert.Equal("faulted", stats.RootElement.GetProperty("finalState").GetString());
    }

    [Fact]
    public void OnSignal_StopSignal_CancelsTheDefaultActionAndStopsTheHost()
    {
        Assert.Contains(PosixSignal.SIGHUP, StopSignals.Handled);
        var lifetime = new RecordingLifetime();
        var context = new PosixSignalContext(PosixSignal.SIGHUP);
        StopSignals.OnSignal(context, lifetime, NullLogger.Instance);
        Assert.True(context.Cancel, "SIGHUP's default action (terminate, no statistics) must be cancelled");
        Assert.Equal(1, lifetime.StopRequests);
    }

    [Fact]
    public async Task Run_Sighup_StopsCleanlyWritesStatisticsAndExitsZero()
    {
        string stats = Path.Combine(_dir, "stats.json");
        using Process process = StartHardwareMaster("run", "--device", "gen:demo", "--rt-priority", "0", "--stats-json", stats);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            // The host has finished starting (every service up, the audio running): the state systemd's stop meets.
            if (e.Data.Contains("Application started", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add("stderr: " + e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(running.Task, process.WaitForExitAsync()).WaitAsync(Patience);
            Assert.True(running.Task.IsCompleted, "never reached 'Application started': " + Joined(output));

            using (Process kill = Process.Start("kill", ["-HUP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().WaitAsync(Patience);
                Assert.Equal(0, kill.ExitCode);
            }

            Task exited = process.WaitForExitAsync();
            await Task.WhenAny(exited, Task.Delay(Patience));
            Assert.True(exited.IsCompleted, "no exit within the patience after SIGHUP: " + Joined(output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode} (129 = killed by SIGHUP): {Joined(output)}");
        Assert.True(File.Exists(stats), "no statistics written: " + Joined(output));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        Assert.Equal("stopped", json.RootElement.GetProperty("finalState").GetString());
        Assert.True(json.RootElement.GetProperty("blocks").GetInt64() > 0);
        Assert.Contains(output, l => l.Contains("SIGHUP: stopping cleanly", StringComparison.Ordinal));
    }

    /// <summary>Starts the built <c>hardwaremaster</c> (the app's output is copied next to the tests).</summary>
    internal static Process StartHardwareMaster(params string[] args)
    {
        // Through `env --default-signal=HUP`: a test run started under nohup (or anything else that ignores SIGHUP)
        // passes the ignored SIGHUP on to its children, and a process started with SIGHUP ignored rightly keeps
        // ignoring it (as `nohup hardwaremaster run` should); the child must see the box's real start-up state.
        string apphost = Path.Combine(AppContext.BaseDirectory, "hardwaremaster");
        var start = new ProcessStartInfo("env") { ArgumentList = { "--default-signal=HUP" } };
        if (File.Exists(apphost))
        {
            start.ArgumentList.Add(apphost);
        }
        else
        {
            start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hardwaremaster.dll"));
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment.Remove("NOTIFY_SOCKET");
        start.Environment.Remove("WATCHDOG_USEC");
        return Process.Start(start)!;
    }

    private static string Joined(List<string> lines)
    {
        lock (lines)
        {
            return string.Join(" | ", lines);
        }
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public int StopRequests { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => StopRequests++;
    }
}
