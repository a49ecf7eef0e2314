using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>
/// A private <c>jackd -d dummy</c> server giving a device paced by a real clock without a sound card. Stopped in
/// <see cref="Dispose"/> whatever the test did: SIGTERM first (so jackd unregisters from JACK's shared-memory registry,
/// which holds at most 8 servers and never reclaims a dead server's slot under another name), SIGKILL if it hangs.
/// Names come from a small fixed pool, so even a killed server's slot is reused by the next run; a name held by a live
/// server (a concurrent run) is skipped. The chosen name is exported as JACK_DEFAULT_SERVER for the ALSA jack plugin.
/// </summary>
internal sealed partial class JackServer : IDisposable
{
    private const int Sigterm = 15;
    private readonly Process _process;

    /// <param name="sampleRateHz">jackd's rate.</param>
    /// <param name="periodFrames">jackd's period.</param>
    /// <param name="firstSlot">First name of the pool this test project uses (Hal.Tests: hm-test-0..3, App.Tests: hm-test-4..5).</param>
    /// <param name="slotCount">How many names of the pool to try.</param>
    public JackServer(int sampleRateHz, int periodFrames, int firstSlot = 0, int slotCount = 4)
    {
        Exception? last = null;
        for (int slot = firstSlot; slot < firstSlot + slotCount; slot++)
        {
            string name = "hm-test-" + slot;
            Process process = StartJackd(name, sampleRateHz, periodFrames);
            try
            {
                ServerName = name;
                _process = process;
                (PlaybackPorts, CapturePorts) = WaitForPorts(TimeSpan.FromSeconds(10));
                TestNativeEnvironment.Set("JACK_DEFAULT_SERVER", name);
                return;
            }
            catch (InvalidOperationException ex)
            {
                last = ex; // this name is in use by a live server: try the next one
                Stop(process);
            }
        }

        throw new InvalidOperationException("no jackd test server could be started", last);
    }

    private static Process StartJackd(string serverName, int sampleRateHz, int periodFrames)
    {
        var start = new ProcessStartInfo("jackd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Real-time scheduling as on a box (jackd and the ALSA jack plugin's client thread in SCHED_FIFO) where the user may
        // have it (root, as in CI); otherwise jackd would fail to start, so it runs without.
        string[] scheduling = GetEffectiveUserId() == 0 ? ["-R", "-P", "75"] : ["--no-realtime"];
        foreach (string argument in new[] { "-n", serverName }.Concat(scheduling).Concat(["-d", "dummy", "-r", sampleRateHz.ToString(), "-p", periodFrames.ToString()]))
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("jackd did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public string ServerName { get; }

    /// <summary>Physical input ports of the server (where playback goes), e.g. system:playback_1.</summary>
    public IReadOnlyList<string> PlaybackPorts { get; }

    /// <summary>Physical output ports of the server (where capture comes from), e.g. system:capture_1.</summary>
    public IReadOnlyList<string> CapturePorts { get; }

    /// <summary>The ALSA name of the test config's jack PCM wired to the discovered ports.</summary>
    public string AlsaPcmName =>
        $"hm_jack:P1=\"{PlaybackPorts[0]}\",P2=\"{PlaybackPorts[1]}\",C1=\"{CapturePorts[0]}\",C2=\"{CapturePorts[1]}\"";

    /// <summary>Stops the server now (simulates the audio device vanishing).</summary>
    public void Kill() => Stop(_process);

    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();

        // A client whose server died leaves its semaphores behind; remove those of this (now stopped) server name.
        try
        {
            foreach (string file in Directory.EnumerateFiles("/dev/shm", $"jack_sem.*_{ServerName}_*"))
            {
                File.Delete(file);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                SendSignal(process.Id, Sigterm);
                if (!process.WaitForExit(3000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);

    private (List<string> Playback, List<string> Capture) WaitForPorts(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        string lastOutput = string.Empty;
        while (stopwatch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"jackd exited with {_process.ExitCode}");
            }

            var list = new ProcessStartInfo("jack_lsp") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            list.ArgumentList.Add("-s");
            list.ArgumentList.Add(ServerName);
            list.ArgumentList.Add("-p");
            list.Environment["JACK_NO_START_SERVER"] = "1";
            using (Process lsp = Process.Start(list)!)
            {
                lastOutput = lsp.StandardOutput.ReadToEnd();
                lsp.StandardError.ReadToEnd();
                lsp.WaitForExit();
                if (lsp.ExitCode == 0)
                {
                    var playback = new List<string>();
                    var capture = new List<string>();
                    string? port = null;
                    foreach (string line in lastOutput.Split('\n'))
                    {
                        if (!line.StartsWith('\t') && line.Length > 0)
                        {
                            port = line.Trim();
                        }
                        else if (port is not null && line.Contains("physical", StringComparison.Ordinal))
                        {
                            (line.Contains("input", StringComparison.Ordinal) ? playback : capture).Add(port);
                        }
                    }

                    if (playback.Count >= 2 && capture.Count >= 2)
                    {
                        return (playback, capture);
                    }
                }
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"jackd '{ServerName}' did not offer two physical ports each way within {timeout}: {lastOutput}");
    }
}
