using System.Diagnostics;
using System.Text.Json;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Recording;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.AudioFiles;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Recording;

[Collection(nameof(HardwareMaster.Hal.Tests.AudioFiles.AllocationMeasurements))] // allocation counts and disk work: run alone
public sealed class RecorderTests : IDisposable
{
    private const int Rate = 48000;
    private const int Block = 64;
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-rec-").FullName;
    private readonly float[] _inL = new float[Block], _inR = new float[Block], _outL = new float[Block], _outR = new float[Block];
    private long _block;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (AudioEngine Engine, EngineController Controller) CreateEngine()
    {
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
        engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
        engine.Warm(50, fadeInMs: 0);
        return (engine, controller);
    }

    private static Recorder CreateRecorder(RecorderOptions options, AudioEngine engine, EngineController controller) =>
        new(options, engine, controller, () => "test-preset", () => 0, NullLogger.Instance, Rate);

    /// <summary>Feeds seconds of a 0.5-amplitude 440 Hz sine (or silence) through the engine, never faster than the writer drains.</summary>
    private void Feed(AudioEngine engine, Recorder recorder, double seconds, bool silent = false)
    {
        long blocks = (long)(seconds * Rate / Block);
        for (long b = 0; b < blocks; b++)
        {
            for (int i = 0; i < Block; i++)
            {
                _inL[i] = silent ? 0 : (float)(0.5 * Math.Sin(2 * Math.PI * 440 * ((_block * Block) + i) / Rate));
                _inR[i] = _inL[i];
            }

            engine.ProcessBlock(new AudioBuffers(_inL, _inR, _outL, _outR, _block++));
            if (b % 256 == 0)
            {
                WaitUntil(() => recorder.RingFillFrames < recorder.RingCapacityFrames / 2, "the writer to drain the ring");
            }
        }
    }

    private static void WaitUntil(Func<bool> condition, string what, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed.TotalSeconds < seconds, "timed out waiting for " + what);
            Thread.Sleep(5);
        }
    }

    private static string Tool(string name, params string[] args) => Tool(name, stdoutOnly: false, args);

    private static string Tool(string name, bool stdoutOnly, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        Task<string> errors = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        output += stdoutOnly ? string.Empty : errors.Result;
        p.WaitForExit();
        return output;
    }

    private static double SoxSeconds(string path) => double.Parse(Tool("soxi", stdoutOnly: true, "-D", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Take_Pair_WritesReadableInputAndMasterWithBextIxmlAndReport()
    {
        (AudioEngine engine, EngineController controller) = CreateEngine();
        using (Recorder recorder = CreateRecorder(new RecorderOptions(_dir), engine, controller))
        {
            recorder.Start();
            Feed(engine, recorder, 3);
        }

        string master = Path.Combine(_dir, "take-0001-master.wav");
        using (AudioFileReader reader = AudioFileReader.Open(master))
        {
            Assert.Equal(3 * Rate / Block * Block, reader.Format.LengthFrames);
            Assert.Equal(SampleEncoding.Pcm24, reader.Format.Encoding);
        }

        Assert.Equal(3.0, SoxSeconds(Path.Combine(_dir, "take-0001-input.wav")), 2);
        string probe = Tool("ffprobe", "-hide_banner", "-show_format", master);
        Assert.Contains("TAG:originator_reference=take-0001", probe, StringComparison.Ordinal);
        Assert.Contains("TAG:encoded_by=HardwareMaster", probe, StringComparison.Ordinal); // bext Originator
        Assert.Contains("TAG:time_reference=", probe, StringComparison.Ordinal);
        Assert.Contains("TAG:date=" + DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), probe, StringComparison.Ordinal);
        Assert.Contains("<PRESET>test-preset</PRESET>", File.ReadAllText(master, System.Text.Encoding.Latin1), StringComparison.Ordinal);

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "take-0001.json")));
        JsonElement root = report.RootElement;
        Assert.Equal("stopped", root.GetProperty("end_reason").GetString());
        Assert.InRange(root.GetProperty("integrated_lufs").GetDouble(), -30, -3);
        Assert.True(root.GetProperty("true_peak_dbtp").GetDouble() <= -0.9); // the limiter's ceiling (−1 dBTP) held
        Assert.Equal(0, root.GetProperty("limiter_overs").GetInt64());
        Assert.Equal(0, root.GetProperty("dropped_samples").GetInt64());
        Assert.Equal("test-preset", root.GetProperty("preset").GetString());
        Assert.True(root.GetProperty("parameters").TryGetProperty(ParameterIds.LimiterCeiling, out _));
        Assert.Contains("integrated_lufs", root.GetProperty("input").ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "take-0001.txt")));
        Assert.Empty(Directory.GetFiles(_dir, ".take-*")); // marker and reserve gone: nothing to repair
    }

    [Fact]
    public void Take_QuadFloatWithSmallRf64Threshold_BecomesRf64AndReadsBack()
    {
        (AudioEngine engine, EngineController controller) = CreateEngine();
        var options = new RecorderOptions(_dir, SampleEncoding.Float32, FourChannel: true) { Rf64ThresholdBytes = 200_000, CheckpointSeconds = 0.05 };
        using (Recorder recorder = CreateRecorder(options, engine, controller))
        {
            recorder.Start();
            Feed(engine, recorder, 2);
        }

        string take = Path.Combine(_dir, "take-0001.wav");
        byte[] head = File.ReadAllBytes(take)[..16];
        Assert.Equal("RF64", System.Text.Encoding.ASCII.GetString(head, 0, 4));
        Assert.Equal("ds64", System.Text.Encoding.ASCII.GetString(head, 12, 4));
        Assert.Equal(2.0, SoxSeconds(take), 2);
        Assert.Contains("Channels       : 4", Tool("soxi", take), StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessBlock_WithRecordingOn_AllocatesNothing()
    {
        (AudioEngine engine, EngineController controller) = CreateEngine();
        using Recorder recorder = CreateRecorder(new RecorderOptions(_dir), engine, controller);
        recorder.Start();
        Feed(engine, recorder, 0.5);
        // Least of four segments: the per-thread counter can jump once when another thread's GC retires this thread's
        // allocation context (see ProgramMeterTests); an allocation per block shows in every segment.
        long smallest = long.MaxValue;
        for (int segment = 0; segment < 4; segment++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int b = 0; b < 500; b++)
            {
                _inL[b % Block] = 0.25f;
                engine.ProcessBlock(new AudioBuffers(_inL, _inR, _outL, _outR, _block++));
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, smallest);
        WaitUntil(() => recorder.Status.ElapsedSeconds > 2, "the writer to take the blocks");
    }

    [Fact]
    public void SilenceAndNewTake_EndTakesAndNeverOverwrite()
    {
        File.WriteAllText(Path.Combine(_dir, "take-0001-master.wav"), "somebody's take");
        (AudioEngine engine, EngineController controller) = CreateEngine();
        var options = new RecorderOptions(_dir, AutoStart: true, StopAfterSilenceSeconds: 1);
        using (Recorder recorder = CreateRecorder(options, engine, controller))
        {
            recorder.Start();
            Feed(engine, recorder, 1, silent: true); // armed: nothing recorded
            Feed(engine, recorder, 1);
            Feed(engine, recorder, 1.5, silent: true); // stops after 1 s of silence
            WaitUntil(() => recorder.Takes.Count == 1, "the silence stop");
            Feed(engine, recorder, 1);
            recorder.RequestNewTake();
            WaitUntil(() => recorder.Takes.Count == 2, "the new take");
            Feed(engine, recorder, 0.5);
        }

        Assert.Equal("somebody's take", File.ReadAllText(Path.Combine(_dir, "take-0001-master.wav")));
        using JsonDocument first = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "take-0002.json")));
        Assert.Equal("silence", first.RootElement.GetProperty("end_reason").GetString());
        Assert.InRange(first.RootElement.GetProperty("duration_s").GetDouble(), 1.9, 2.1); // 1 s of signal + 1 s of silence
        using JsonDocument second = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "take-0003.json")));
        Assert.Equal("new take", second.RootElement.GetProperty("end_reason").GetString());
        Assert.True(File.Exists(Path.Combine(_dir, "take-0004-master.wav")));
    }

    [Fact]
    public void FolderVanishes_TakeEndsWithError_AudioGoesOn_NewTakeWhenItReturns()
    {
        string folder = Path.Combine(_dir, "stick");
        Directory.CreateDirectory(folder);
        (AudioEngine engine, EngineController controller) = CreateEngine();
        using Recorder recorder = CreateRecorder(new RecorderOptions(folder) { CheckpointSeconds = 0.05 }, engine, controller);
        recorder.Start();
        Feed(engine, recorder, 1);
        WaitUntil(() => recorder.Status.State == RecorderState.Recording, "the take");
        Directory.Delete(folder, recursive: true);
        long blocksBefore = engine.BlocksProcessed;
        WaitUntil(
            () =>
            {
                Feed(engine, recorder, 0.1);
                return recorder.Status.State == RecorderState.WaitingForFolder;
            },
            "the take to end");
        Assert.True(engine.BlocksProcessed > blocksBefore); // audio went on
        TakeSummary ended = Assert.Single(recorder.Takes);
        Assert.Equal("record folder vanished", ended.EndReason);
        Assert.Contains("vanished", recorder.Status.Error, StringComparison.Ordinal);

        Directory.CreateDirectory(folder);
        WaitUntil(
            () =>
            {
                Feed(engine, recorder, 0.1);
                return recorder.Status.State == RecorderState.Recording;
            },
            "the new take");
        Feed(engine, recorder, 0.5);
        recorder.RequestStop();
        WaitUntil(() => recorder.Takes.Count == 2, "the stop");
        Assert.True(File.Exists(Path.Combine(folder, "take-0001.json")));
    }

    [Fact]
    public void DiskFull_On5MbTmpfs_ClosesCleanly_AudioGoesOn_ReportSaysWhy()
    {
        string folder = Path.Combine(_dir, "small");
        Directory.CreateDirectory(folder);
        string mount = Tool("mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", folder);
        if (!File.ReadAllText("/proc/mounts").Contains(folder, StringComparison.Ordinal))
        {
            Console.Error.WriteLine("SKIPPED DiskFull_On5MbTmpfs: cannot mount a 5 MB tmpfs here (needs root): " + mount.Trim());
            return;
        }

        try
        {
            (AudioEngine engine, EngineController controller) = CreateEngine();
            using Recorder recorder = CreateRecorder(new RecorderOptions(folder), engine, controller);
            recorder.Start();
            WaitUntil(
                () =>
                {
                    Feed(engine, recorder, 0.5);
                    return recorder.Status.State == RecorderState.Stopped;
                },
                "the disk to fill");
            long blocks = engine.BlocksProcessed;
            Feed(engine, recorder, 1);
            Assert.True(engine.BlocksProcessed > blocks); // audio goes on
            TakeSummary take = Assert.Single(recorder.Takes);
            Assert.Equal("disk full", take.EndReason);
            Assert.InRange(take.Seconds, 5, 12); // ≈ 5 MB / (2 × 144 kB/s)
            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "take-0001.json")));
            Assert.Equal("disk full", report.RootElement.GetProperty("end_reason").GetString());
            Assert.Contains("disk full", report.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(take.Seconds, SoxSeconds(Path.Combine(folder, "take-0001-master.wav")), 2); // closed cleanly: sizes match
        }
        finally
        {
            Tool("umount", folder);
        }
    }

    [Fact]
    public void KillDuringTake_StartUpRepairsIt_SoxPlaysAllButTheLastSecond()
    {
        // What the take must keep is measured in what the writer had put in the files when the process died (bytes on
        // disk), not in the test's wall clock: under load the writer may lag the clock, which is no loss.
        using Process run = Host.RunHostTests.StartHardwareMaster("run", "--device", "gen:demo", "--output", "alsa:null", "--rt-priority", "0", "--record", _dir);
        string master = Path.Combine(_dir, "take-0001-master.wav");
        string input = Path.Combine(_dir, "take-0001-input.wav");
        const double AssumedBytesPerSecond = 48_000 * 2 * 3; // only to know when to stop waiting
        long masterStart = 0, inputStart = 0;
        try
        {
            WaitUntil(() => File.Exists(master) && File.Exists(input) && (masterStart = new FileInfo(master).Length) > 1000, "the take to start", 120);
            inputStart = new FileInfo(input).Length;
            WaitUntil(() => new FileInfo(master).Length - masterStart > 4 * AssumedBytesPerSecond, "4 s of take written", 120);
        }
        finally
        {
            run.Kill(); // SIGKILL: no clean close
            run.WaitForExit();
        }

        long masterWritten = new FileInfo(master).Length - masterStart, inputWritten = new FileInfo(input).Length - inputStart;
        Assert.True(File.Exists(Path.Combine(_dir, ".take-0001.recording")));
        IReadOnlyList<TakeSummary> repaired = TakeFiles.RepairUnfinished(new RecorderOptions(_dir), NullLogger.Instance);
        TakeSummary take = Assert.Single(repaired);
        Assert.Equal("repaired", take.EndReason);
        double bytesPerSecond = double.Parse(Tool("soxi", stdoutOnly: true, "-r", master).Trim(), System.Globalization.CultureInfo.InvariantCulture) * 2 * 3;
        double masterSeconds = masterWritten / bytesPerSecond, inputSeconds = inputWritten / bytesPerSecond;
        Assert.True(SoxSeconds(master) >= masterSeconds - 1.5, $"sox plays {SoxSeconds(master)} s of the {masterSeconds:0.0} s the master file had received");
        Assert.True(SoxSeconds(input) >= inputSeconds - 1.5, $"sox plays {SoxSeconds(input)} s of the {inputSeconds:0.0} s the input file had received");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "take-0001.json")));
        Assert.Equal("repaired", report.RootElement.GetProperty("end_reason").GetString());
        Assert.False(File.Exists(Path.Combine(_dir, ".take-0001.recording")));
    }

    [Fact]
    public void Config_RecordObject_ParsesAndRejectsUnknownKeys()
    {
        var config = HardwareMaster.App.Configuration.RunConfiguration.Parse($$"""{ "record": { "dir": "{{_dir}}", "bits": "32f", "layout": "quad", "autoStart": true, "stopAfterSilenceSeconds": 30 } }""", "c.json");
        Assert.Equal(new RecorderOptions(_dir, SampleEncoding.Float32, FourChannel: true, AutoStart: true, StopAfterSilenceSeconds: 30), config.Record);
        var ex = Assert.Throws<HardwareMaster.App.Configuration.ConfigurationException>(() => HardwareMaster.App.Configuration.RunConfiguration.Parse("""{ "record": { "dir": "x", "bitz": 24 } }""", "c.json"));
        Assert.Contains("record.bitz", ex.Message, StringComparison.Ordinal);
    }
}
