using System.CommandLine;
using System.Globalization;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.App.Commands;

/// <summary>Outcome of one self-test check.</summary>
internal enum CheckOutcome
{
    /// <summary>Works.</summary>
    Pass,

    /// <summary>Not applicable here (e.g. no /etc/hardwaremaster on a dev machine).</summary>
    Skip,

    /// <summary>Broken.</summary>
    Fail,
}

/// <summary>One line of the self-test report.</summary>
internal sealed record CheckResult(string Name, CheckOutcome Outcome, string Detail);

/// <summary>
/// <c>hardwaremaster selftest</c>: on the target, checks the configuration and state directories, the chain, the meters,
/// the engine on the generator, and the audio path through real ALSA (file/null PCMs from a temporary ALSA config).
/// Prints PASS/SKIP/FAIL per check; exits 1 when any check fails.
/// </summary>
internal static class SelftestCommand
{
    /// <summary>Default configuration file on the box.</summary>
    public const string DefaultConfigPath = "/etc/hardwaremaster/config.json";

    /// <summary>Builds the <c>selftest</c> verb.</summary>
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"Configuration file to check (default {DefaultConfigPath}; SKIP when absent)." };
        var stateDir = new Option<string?>("--state-dir") { Description = $"State directory to check (default $STATE_DIRECTORY or {PresetResolver.DefaultStateDirectory}; SKIP when absent)." };
        var command = new Command("selftest", "Check config, state directory, chain, meters and the audio path (generator, ALSA file/null PCMs); PASS/FAIL per check.") { config, stateDir };
        command.SetAction(result =>
        {
            IReadOnlyList<CheckResult> results = Run(result.GetValue(config), result.GetValue(stateDir));
            foreach (CheckResult check in results)
            {
                Console.WriteLine($"{check.Outcome.ToString().ToUpperInvariant(),-4}  {check.Name,-14} {check.Detail}");
            }

            int failed = results.Count(r => r.Outcome == CheckOutcome.Fail);
            Console.WriteLine(failed == 0 ? "selftest: all checks passed" : $"selftest: {failed} check(s) failed");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Runs every check; never throws (an exception is the check's FAIL).</summary>
    internal static IReadOnlyList<CheckResult> Run(string? configPath, string? stateDirectory)
    {
        var results = new List<CheckResult>();
        RunConfiguration? config = null;
        results.Add(Check("config", () => CheckConfig(configPath, out config)));
        results.Add(Check("preset", () => CheckPreset(config)));
        results.Add(Check("state-dir", () => CheckStateDirectory(stateDirectory)));
        results.Add(Check("chain", CheckChain));
        results.Add(Check("meters", CheckMeters));
        results.Add(Check("engine+gen", CheckGenerator));
        results.Add(Check("alsa-path", CheckAlsaPath));
        return results;
    }

    private static CheckResult Check(string name, Func<(CheckOutcome Outcome, string Detail)> check)
    {
        try
        {
            (CheckOutcome outcome, string detail) = check();
            return new CheckResult(name, outcome, detail);
        }
        catch (Exception ex)
        {
            return new CheckResult(name, CheckOutcome.Fail, $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
        }
    }

    private static (CheckOutcome, string) CheckConfig(string? path, out RunConfiguration? config)
    {
        config = null;
        string file = path ?? DefaultConfigPath;
        if (!File.Exists(file))
        {
            return path is null
                ? (CheckOutcome.Skip, $"{file} does not exist (not installed here; use --config FILE)")
                : (CheckOutcome.Fail, $"{file} does not exist");
        }

        try
        {
            config = RunConfiguration.Load(file);
            return (CheckOutcome.Pass, $"{file}: device {config.Device}, {config.SampleRateHz} Hz, {config.BlockFrames} frames x {config.Periods}, RT {config.RealtimePriority}, preset {config.Preset ?? "(defaults)"}");
        }
        catch (ConfigurationException ex)
        {
            return (CheckOutcome.Fail, string.Join(" | ", ex.Problems));
        }
    }

    private static (CheckOutcome, string) CheckPreset(RunConfiguration? config)
    {
        if (config is null)
        {
            return (CheckOutcome.Skip, "no configuration to take the preset from");
        }

        try
        {
            Preset preset = PresetResolver.Resolve(config.Preset);
            return (CheckOutcome.Pass, $"'{preset.Name}' loads");
        }
        catch (ConfigurationException ex)
        {
            return (CheckOutcome.Fail, string.Join(" | ", ex.Problems));
        }
    }

    private static (CheckOutcome, string) CheckStateDirectory(string? path)
    {
        string dir = path ?? Environment.GetEnvironmentVariable("STATE_DIRECTORY") ?? PresetResolver.DefaultStateDirectory;
        if (!Directory.Exists(dir))
        {
            return path is null
                ? (CheckOutcome.Skip, $"{dir} does not exist (not installed here; use --state-dir DIR)")
                : (CheckOutcome.Fail, $"{dir} does not exist");
        }

        string probe = Path.Combine(dir, $".selftest-{Environment.ProcessId}.tmp");
        try
        {
            AtomicFile.WriteAllText(probe, "selftest\n");
            bool readBack = File.ReadAllText(probe) == "selftest\n";
            return readBack ? (CheckOutcome.Pass, $"{dir} is writable (atomic write, fsync, rename, read back)") : (CheckOutcome.Fail, $"{dir}: read back differs");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (CheckOutcome.Fail, $"{dir} is not writable: {ex.Message}");
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static (CheckOutcome, string) CheckChain()
    {
        const int rate = 48000;
        var chain = new MasteringChain();
        var values = new PresetLibrary(ParameterRegistry.Chain).Factory[0].Values.Clone();
        values.Set(ParameterIds.LoudnessGain, 12); // drive the limiter hard
        ChainBinder.ApplyAll(values, chain, 0);
        chain.Prepare(new ProcessSpec(rate, 64, 2)); // the box's block size
        var signal = new DemoMixSignal(rate);
        var meter = new ProgramMeter(rate, 2);
        float[] left = new float[64], right = new float[64];
        for (long frame = 0; frame < rate * 3L; frame += 64)
        {
            signal.Render(left, right, frame);
            chain.Process(new AudioBlock(left, right));
            meter.Process(left, right);
        }

        LoudnessReport report = meter.GetReport();
        double ceiling = values[ParameterIds.LimiterCeiling];
        bool ok = double.IsFinite(report.TruePeakDbtp) && report.TruePeakDbtp <= ceiling + 0.1 && report.IntegratedLufs is not null;
        return (ok ? CheckOutcome.Pass : CheckOutcome.Fail,
            $"demo mix +12 dB through the chain: true peak {report.TruePeakDbtp.ToString("0.00", CultureInfo.InvariantCulture)} dBTP (ceiling {ceiling.ToString("0.0", CultureInfo.InvariantCulture)}), latency {chain.LatencyFrames} frames");
    }

    private static (CheckOutcome, string) CheckMeters()
    {
        // EBU Tech 3341 case 1: 1 kHz sine at -23 dBFS in both channels reads -23.0 LUFS (±0.1).
        const int rate = 48000;
        var meter = new ProgramMeter(rate, 2);
        var tone = new ToneSignal(1000, -23, rate);
        float[] left = new float[4800], right = new float[4800];
        for (long frame = 0; frame < rate * 5L; frame += 4800)
        {
            tone.Render(left, right, frame);
            meter.Process(left, right);
        }

        double lufs = meter.GetReport().IntegratedLufs ?? double.NegativeInfinity;
        bool ok = Math.Abs(lufs + 23) <= 0.1;
        return (ok ? CheckOutcome.Pass : CheckOutcome.Fail, $"1 kHz -23 dBFS stereo reads {lufs.ToString("0.00", CultureInfo.InvariantCulture)} LUFS (expected -23.0 ±0.1)");
    }

    private static (CheckOutcome, string) CheckGenerator()
    {
        var engine = new AudioEngine(new MasteringChain());
        _ = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        const int rate = 48000;
        var options = new AudioDeviceOptions(Name: "tone:1000:-12", SampleRateHz: rate, BlockFrames: 64, RealtimePriority: 0, LockMemory: false, MaxFrames: rate / 2, Paced: false);
        using GeneratorAudioDevice device = GeneratorAudioDevice.FromSpec("tone:1000:-12", options);
        engine.Prepare(rate, 64, paced: false, fadeInMs: 0);
        engine.Warm(100, 0);
        float peak = 0;
        device.OutputTap = (l, r, _) => peak = Math.Max(peak, Math.Max(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(l), System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(r)));
        using var done = new ManualResetEventSlim();
        device.Completed += done.Set;
        device.Start(engine);
        bool finished = done.Wait(TimeSpan.FromSeconds(10));
        device.Stop();
        EngineStatistics stats = engine.ReadStatistics();
        double peakDbfs = 20 * Math.Log10(Math.Max(peak, 1e-12));
        bool ok = finished && stats.Blocks == rate / 2 / 64 && peakDbfs > -20 && peakDbfs < 0;
        return (ok ? CheckOutcome.Pass : CheckOutcome.Fail,
            $"gen:tone:1000:-12 → engine: {stats.Blocks} blocks, output peak {peakDbfs.ToString("0.0", CultureInfo.InvariantCulture)} dBFS, compute p99 {stats.ComputeTime.P99Percent.ToString("0.0", CultureInfo.InvariantCulture)} % of a 64-frame period");
    }

    private static (CheckOutcome, string) CheckAlsaPath()
    {
        const int rate = 48000;
        const int frames = rate / 2;
        string dir = Path.Combine(Path.GetTempPath(), "hm-selftest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            string input = Path.Combine(dir, "in.raw"), output = Path.Combine(dir, "out.raw"), conf = Path.Combine(dir, "asound.conf");

            // Input: a -12 dBFS 1 kHz tone, interleaved FLOAT_LE, longer than the run (the file plugin repeats its last buffer at the end).
            var tone = new ToneSignal(1000, -12, rate);
            float[] l = new float[frames * 2], r = new float[frames * 2];
            tone.Render(l, r, 0);
            byte[] raw = new byte[l.Length * 8];
            for (int i = 0; i < l.Length; i++)
            {
                BitConverter.TryWriteBytes(raw.AsSpan(i * 8), l[i]);
                BitConverter.TryWriteBytes(raw.AsSpan((i * 8) + 4), r[i]);
            }

            File.WriteAllBytes(input, raw);
            File.WriteAllText(conf, $$"""
                pcm.hm_selftest {
                    type file
                    slave { pcm { type null } }
                    file "{{output}}"
                    infile "{{input}}"
                    format "raw"
                }
                """);
            string? existing = Environment.GetEnvironmentVariable("ALSA_CONFIG_PATH");
            NativeEnvironment.Set("ALSA_CONFIG_PATH", (string.IsNullOrEmpty(existing) ? "/usr/share/alsa/alsa.conf" : existing) + ":" + conf);

            var engine = new AudioEngine(new MasteringChain());
            var values = new ParameterSet(ParameterRegistry.Chain);
            _ = new EngineController(engine, values, 0);
            engine.Prepare(rate, 64, paced: true, fadeInMs: 0);
            engine.Warm(100, 0);
            using var device = AudioDeviceFactory.Create("alsa:hm_selftest", new AudioDeviceOptions(
                SampleRateHz: rate, BlockFrames: 64, Periods: 2, RealtimePriority: 0, LockMemory: false,
                SampleFormat: AudioSampleFormat.Float32LE, MaxFrames: frames));
            using var done = new ManualResetEventSlim();
            string? error = null;
            device.Completed += done.Set;
            device.Error += e =>
            {
                if (e.IsFatal)
                {
                    error = e.Message;
                    done.Set();
                }
            };
            device.Start(engine);
            bool finished = done.Wait(TimeSpan.FromSeconds(10));
            device.Stop();
            if (error is not null || !finished)
            {
                return (CheckOutcome.Fail, error ?? "the ALSA file/null device did not finish within 10 s");
            }

            byte[] written = File.ReadAllBytes(output);
            int samples = written.Length / 4;
            float peak = 0;
            bool finite = true;
            for (int i = 0; i < samples; i++)
            {
                float s = BitConverter.ToSingle(written, i * 4);
                finite &= float.IsFinite(s);
                peak = Math.Max(peak, Math.Abs(s));
            }

            double peakDbfs = 20 * Math.Log10(Math.Max(peak, 1e-12));
            bool ok = finite && samples / 2 >= frames && peakDbfs > -20 && peakDbfs <= 0;
            return (ok ? CheckOutcome.Pass : CheckOutcome.Fail,
                $"ALSA file/null PCM (FLOAT_LE, 64 x 2): tone in → engine → {samples / 2} frames out, peak {peakDbfs.ToString("0.0", CultureInfo.InvariantCulture)} dBFS{(finite ? string.Empty : ", NON-FINITE samples")}");
        }
        catch (DllNotFoundException ex)
        {
            return (CheckOutcome.Fail, $"libasound.so.2 not found ({ex.Message.Split('\n')[0]}): install libasound2");
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
