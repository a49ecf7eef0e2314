using HardwareMaster.App.Monitor;
using HardwareMaster.App.Tests.TestSupport;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Tests.AudioFiles;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Monitor;

/// <summary>`run --monitor FUNCTION --monitor-output file:PATH` end to end on the file device, and the monitor file sink.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class RunMonitorOptionsTests : IDisposable
{
    private const int Rate = 48000;
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-monitor-run-").FullName;
    private readonly ITestOutputHelper _output;

    public RunMonitorOptionsTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Run_MonitorMonoToFile_MasterBitIdenticalAndMonitorIsTheMatchedMonoSum()
    {
        string input = WriteInput("in.wav", 8, -18);
        string plain = Path.Combine(_dir, "plain.wav");
        string output = Path.Combine(_dir, "out.wav");
        string monitor = Path.Combine(_dir, "mon.wav");
        (int exit, _, string error) = CliRunner.Run("run", "--device", "file:" + input, "--output", plain, "--rt-priority", "0");
        Assert.True(exit == 0, error);
        (exit, _, error) = CliRunner.Run("run", "--device", "file:" + input, "--output", output, "--rt-priority", "0", "--monitor", "mono", "--monitor-output", "file:" + monitor);
        Assert.True(exit == 0, error);

        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(output)); // the master is untouched
        (float[] outL, float[] outR) = Read(output);
        (float[] monL, float[] monR) = Read(monitor);
        Assert.Equal(outL.Length, monL.Length); // aligned: the engine's latency removed, the input's length
        Assert.Equal(monL, monR); // mono on both sides
        Assert.Contains(monL, s => s != 0);
        Assert.DoesNotContain(Directory.EnumerateFiles(_dir), f => Path.GetFileName(f).StartsWith('.')); // temporary files renamed

        double outLufs = Lufs(outL, outR), monLufs = Lufs(monL, monR);
        int half = outL.Length / 2;
        double outLate = Lufs(outL[half..], outR[half..]), monLate = Lufs(monL[half..], monR[half..]);
        string measured = $"out {outLufs:0.00} LUFS, monitor {monLufs:0.00} LUFS; second half out {outLate:0.00}, monitor {monLate:0.00}";
        _output.WriteLine(measured);
        Assert.True(Math.Abs(monLufs - outLufs) <= 0.5, measured);
    }

    [Fact]
    public void Run_MonitorDeltaOnAQuietInput_MonitorFileIsSilent()
    {
        string input = WriteInput("quiet.wav", 3, -50);
        string output = Path.Combine(_dir, "out.wav");
        string monitor = Path.Combine(_dir, "delta.wav");
        (int exit, _, string error) = CliRunner.Run("run", "--device", "file:" + input, "--output", output, "--rt-priority", "0", "--monitor", "delta", "--monitor-output", "file:" + monitor);
        Assert.True(exit == 0, error);
        (float[] outL, _) = Read(output);
        (float[] monL, float[] monR) = Read(monitor);
        Assert.Equal(outL.Length, monL.Length);
        Assert.Contains(outL, s => s != 0);
        Assert.All(monL, s => Assert.Equal(0f, s)); // the limiter removes nothing
        Assert.All(monR, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Run_MonitorFromConfig_StartsWithIt()
    {
        string input = WriteInput("in.wav", 2, -18);
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, "{ \"monitor\": \"side\", \"realtimePriority\": 0 }");
        string output = Path.Combine(_dir, "out.wav");
        string monitor = Path.Combine(_dir, "side.wav");
        (int exit, _, string error) = CliRunner.Run("run", "--config", config, "--device", "file:" + input, "--output", output, "--monitor-output", "file:" + monitor);
        Assert.True(exit == 0, error);
        (float[] monL, float[] monR) = Read(monitor);
        Assert.Contains(monL, s => s != 0);
        for (int i = 0; i < monL.Length; i++)
        {
            Assert.Equal(monL[i], monR[i]); // (L−R)/2 on both sides
        }
    }

    [Fact]
    public void Run_MonitorOnAFileDeviceWithoutMonitorOutput_IsOneLineAndNothingWritten()
    {
        string input = WriteInput("in.wav", 2, -18);
        string output = Path.Combine(_dir, "out.wav");
        (int exit, _, string error) = CliRunner.Run("run", "--device", "file:" + input, "--output", output, "--rt-priority", "0", "--monitor", "phone");
        Assert.Equal(2, exit);
        Assert.Contains("--monitor phone", error, StringComparison.Ordinal);
        Assert.Contains("--monitor-output file:PATH", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Directory.EnumerateFiles(_dir), f => Path.GetFileName(f).StartsWith('.')); // no temporary left
    }

    [Fact]
    public void Run_SimulatedBoxOnAFileDevice_StoredMonitorEqLeavesTheMasterBitIdentical()
    {
        string input = WriteInput("in.wav", 3, -18);
        string script = Path.Combine(_dir, "empty.script");
        File.WriteAllText(script, "# nothing to do\n");
        string plainState = Directory.CreateDirectory(Path.Combine(_dir, "plain-state")).FullName;
        string eqState = Directory.CreateDirectory(Path.Combine(_dir, "eq-state")).FullName;
        string rew = Path.Combine(_dir, "rew.txt");
        File.WriteAllText(rew, "Filter 1: ON PK Fc 63.0 Hz Gain -5.0 dB Q 4.000\nFilter 2: ON HS Fc 8000 Hz Gain 4.0 dB\n");
        (int code, _, string importError) = CliRunner.Run("monitor-eq", "import", rew, "--state-dir", eqState);
        Assert.True(code == 0, importError);

        string plain = Path.Combine(_dir, "plain.wav");
        string withEq = Path.Combine(_dir, "eq.wav");
        (int exit, _, string error) = CliRunner.Run("run", "--simulate", "--device", "file:" + input, "--output", plain, "--rt-priority", "0", "--script", script, "--state-dir", plainState);
        Assert.True(exit == 0, error);
        (exit, _, error) = CliRunner.Run("run", "--simulate", "--device", "file:" + input, "--output", withEq, "--rt-priority", "0", "--script", script, "--state-dir", eqState);
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(withEq)); // the stored correction EQ never reaches the master
    }

    [Fact]
    public void Run_SimulatedBoxWithMonitor_WritesTheMonoMonitorFile()
    {
        string input = WriteInput("in.wav", 3, -18);
        string script = Path.Combine(_dir, "empty.script");
        File.WriteAllText(script, "# nothing to do\n");
        string output = Path.Combine(_dir, "out.wav");
        string monitor = Path.Combine(_dir, "mon.wav");
        string state = Directory.CreateDirectory(Path.Combine(_dir, "state")).FullName;
        (int exit, _, string error) = CliRunner.Run("run", "--simulate", "--device", "file:" + input, "--output", output, "--rt-priority", "0", "--script", script, "--state-dir", state, "--monitor", "mono", "--monitor-output", "file:" + monitor);
        Assert.True(exit == 0, error);
        (float[] outL, _) = Read(output);
        (float[] monL, float[] monR) = Read(monitor);
        Assert.Equal(outL.Length, monL.Length);
        Assert.Equal(monL, monR);
        Assert.Contains(monL, s => s != 0);
    }

    [Theory]
    [InlineData("--monitor", "bogus", "--monitor bogus: unknown monitor function (mono, side, phone, earbuds, car, delta or off)")]
    [InlineData("--monitor-output", "alsa:hw:1", "--monitor-output alsa:hw:1: give file:PATH (a separate monitor pair on the interface: --channel-map master=1,2 monitor=3,4)")]
    public void Run_BadMonitorOption_OneLineExit2(string option, string value, string expected)
    {
        (int exit, _, string error) = CliRunner.Run("run", "--device", "gen:silence", "--duration", "0.1", "--rt-priority", "0", option, value);
        Assert.Equal(2, exit);
        Assert.Equal("hardwaremaster: " + expected, CliRunner.SingleLine(error));
    }

    [Fact]
    public void Run_MonitorOutputIsTheInputOutputOrStats_OneLineExit2()
    {
        string input = WriteInput("in.wav", 1, -18);
        string output = Path.Combine(_dir, "out.wav");
        string stats = Path.Combine(_dir, "stats.json");
        foreach ((string target, string expected) in new[]
        {
            (input, "refusing to overwrite the input file"),
            (output, "is the master output (--output)"),
            (stats, "is the statistics file (--stats-json)"),
        })
        {
            (int exit, _, string error) = CliRunner.Run("run", "--device", "file:" + input, "--output", output, "--stats-json", stats, "--rt-priority", "0", "--monitor", "mono", "--monitor-output", "file:" + target);
            Assert.Equal(2, exit);
            Assert.Contains(expected, CliRunner.SingleLine(error));
            Assert.StartsWith("hardwaremaster: --monitor-output ", CliRunner.SingleLine(error));
        }

        Assert.False(File.Exists(output));
        Assert.False(File.Exists(stats));
    }

    [Fact]
    public void Run_ConfigMonitorBogus_OneLineNamingTheKey()
    {
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, "{ \"monitor\": \"loud\" }");
        (int exit, _, string error) = CliRunner.Run("run", "--config", config, "--device", "gen:silence", "--duration", "0.1", "--rt-priority", "0");
        Assert.Equal(2, exit);
        string line = CliRunner.SingleLine(error);
        Assert.Contains("\"monitor\": \"loud\" is not a monitor function", line);
        Assert.Contains("config.json", line);
    }

    [Fact]
    public void Sink_Write_AllocatesNothingPerBlock()
    {
        string path = Path.Combine(_dir, "alloc.wav");
        using MonitorFileSink sink = MonitorFileSink.Create(path, Rate, 4);
        float[] l = new float[256], r = new float[256];
        for (int i = 0; i < l.Length; i++)
        {
            l[i] = MathF.Sin(i * 0.05f);
            r[i] = -l[i];
        }

        for (int k = 0; k < 200; k++)
        {
            sink.Write(l, r); // warm-up
        }

        // The least of four segments (after one unmeasured: 5 × 400 writes): a one-off reading of the thread's retired
        // allocation context is not the sink's.
        long allocated = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int k = 0; k < 400; k++)
            {
                sink.Write(l, r);
            }
        });
        Assert.Equal(0, allocated);
        Assert.Null(sink.Finish(commit: true));
        (float[] fl, float[] fr) = Read(path);
        Assert.Equal(2200 * 256, fl.Length); // dropped blocks (if the writer lagged) are silence in their place
        long dropped = sink.DroppedFrames;
        if (dropped == 0)
        {
            Assert.Equal(l[10], fl[(1000 * 256) + 10]);
            Assert.Equal(r[10], fr[(1000 * 256) + 10]);
        }
    }

    [Fact]
    public void Sink_NotCommitted_LeavesNoFileAndNoTemporary()
    {
        string path = Path.Combine(_dir, "aborted.wav");
        MonitorFileSink sink = MonitorFileSink.Create(path, Rate, 4);
        sink.Write(new float[64], new float[64]);
        sink.Dispose(); // a run that did not end cleanly
        Assert.Empty(Directory.EnumerateFiles(_dir));
    }

    private static double Lufs(float[] l, float[] r)
    {
        var meter = new ProgramMeter(Rate, 2);
        meter.Process(l, r);
        Assert.True(meter.TryReadGatedLoudness(out double lufs, out _));
        return lufs;
    }

    private static (float[] L, float[] R) Read(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        var l = new float[reader.Format.LengthFrames];
        var r = new float[reader.Format.LengthFrames];
        int done = 0;
        while (done < l.Length)
        {
            int n = reader.ReadPlanar(l.AsSpan(done), r.AsSpan(done));
            if (n == 0)
            {
                break;
            }

            done += n;
        }

        Assert.Equal(l.Length, done);
        return (l, r);
    }

    // Stereo pink-ish noise with a level swell and partly decorrelated sides, so mono differs from the stereo master.
    private string WriteInput(string name, double seconds, double dbfs) =>
        PinkSwell.WriteWav(Path.Combine(_dir, name), Rate, seconds, Math.Pow(10, dbfs / 20) * 2, seed: 17);
}
