using System.Diagnostics;

namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>
/// A private <c>jackd -d dummy</c> server (unique name) giving a device paced by a real clock without a sound card.
/// Killed in <see cref="Dispose"/> whatever the test did.
/// </summary>
internal sealed class JackServer : IDisposable
{
    private readonly Process _process;

    public JackServer(string serverName, int sampleRateHz, int periodFrames)
    {
        ServerName = serverName;
        var start = new ProcessStartInfo("jackd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-n", serverName, "--no-realtime", "-d", "dummy", "-r", sampleRateHz.ToString(), "-p", periodFrames.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("jackd did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            (PlaybackPorts, CapturePorts) = WaitForPorts(TimeSpan.FromSeconds(10));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string ServerName { get; }

    /// <summary>Physical input ports of the server (where playback goes), e.g. system:playback_1.</summary>
    public IReadOnlyList<string> PlaybackPorts { get; }

    /// <summary>Physical output ports of the server (where capture comes from), e.g. system:capture_1.</summary>
    public IReadOnlyList<string> CapturePorts { get; }

    /// <summary>The ALSA name of the test config's jack PCM wired to the discovered ports.</summary>
    public string AlsaPcmName =>
        $"hm_jack:P1=\"{PlaybackPorts[0]}\",P2=\"{PlaybackPorts[1]}\",C1=\"{CapturePorts[0]}\",C2=\"{CapturePorts[1]}\"";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

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
