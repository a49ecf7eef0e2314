using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>
/// The engine through PortAudio (`pa:`) on ALSA file PCMs: what the engine writes equals an offline render of the same
/// chain, sample for sample, once PortAudio's own start-up silence is located in the output file.
/// </summary>
/// <remarks>
/// PortAudio lists only ALSA PCMs without arguments, so this class adds fixed-name file PCMs in a second config file
/// appended to the collection's ALSA_CONFIG_PATH (alsa.conf stays first, or PortAudio aborts). A changed file list
/// makes alsa-lib re-read its configuration at the next Pa_Initialize (PortAudio is reference counted and released
/// between tests). JACK_NO_START_SERVER=1 is set natively by <see cref="EngineAlsaEnvironment"/>.
/// </remarks>
[Collection(EngineAlsaCollection.Name)]
public sealed class EnginePortAudioTests
{
    private const string InputPcm = "hm_engine_pa_in";
    private const string OutputPcm = "hm_engine_pa_out";
    private readonly ITestOutputHelper _output;
    private readonly string _inputPath;
    private readonly string _outputPath;

    public EnginePortAudioTests(EngineAlsaEnvironment environment, ITestOutputHelper output)
    {
        _output = output;
        _inputPath = Path.Combine(environment.Directory, "engine-pa-in.raw");
        _outputPath = Path.Combine(environment.Directory, "engine-pa-out.raw");
        string configPath = Path.Combine(environment.Directory, "asound-portaudio.conf");
        File.WriteAllText(configPath, $$"""
            pcm.{{OutputPcm}} {
                type file
                slave { pcm { type null } }
                file "{{_outputPath}}"
                format "raw"
            }
            pcm.{{InputPcm}} {
                type file
                slave { pcm { type null } }
                file "/dev/null"
                infile "{{_inputPath}}"
                format "raw"
            }
            """);
        HardwareMaster.App.Host.NativeEnvironment.Set("ALSA_CONFIG_PATH", $"/usr/share/alsa/alsa.conf:{environment.ConfigPath}:{configPath}");
        HardwareMaster.App.Host.NativeEnvironment.Set("JACK_NO_START_SERVER", "1");
    }

    [Theory]
    [InlineData(48000, 64)]
    [InlineData(44100, 128)]
    public async Task Run_ThroughPortAudioOnAlsaFilePcm_OutputEqualsOfflineChainSampleForSample(int rate, int block)
    {
        int blocks = (2 * rate / block) + 1; // ≥ 2 s
        int frames = block * blocks;
        ParameterSet values = new PresetLibrary(ParameterRegistry.Chain).Factory.Single(p => p.Name == "streaming-pop-rock").Values.Clone();
        values.Set("loudness.gain", 8); // drive compressor and limiter

        // Input: the demo mix, interleaved float32, longer than the run (the file plugin repeats its last buffer at the end).
        var signal = new DemoMixSignal(rate);
        int inputFrames = frames + (8 * block) + 4096;
        float[] inL = new float[inputFrames], inR = new float[inputFrames];
        signal.Render(inL, inR, 0);
        byte[] raw = new byte[inputFrames * 8];
        for (int i = 0; i < inputFrames; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * 8), inL[i]);
            BitConverter.TryWriteBytes(raw.AsSpan((i * 8) + 4), inR[i]);
        }

        File.WriteAllBytes(_inputPath, raw);
        File.Delete(_outputPath);

        // The real path: supervisor → PortAudio device (ALSA file PCMs over null, unpaced) → engine, bounded by frame count.
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, values, ditherBits: 0);
        var options = new SupervisorOptions(
            "pa:" + InputPcm,
            new AudioDeviceOptions(SampleRateHz: rate, BlockFrames: block, Periods: 2, RealtimePriority: 0, LockMemory: false,
                InputName: InputPcm, OutputName: OutputPcm, SampleFormat: AudioSampleFormat.Float32LE),
            MaxFrames: frames,
            FadeMs: 0,
            WarmBlocks: 500);
        var supervisor = new AudioSupervisor(controller, options, new Host.AudioSupervisorTests.ListLogger());
        SupervisorState state = await supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(SupervisorState.Completed, state);
        Assert.Equal(blocks, engine.BlocksProcessed);

        // The same chain offline, same parameters, same blocks.
        var reference = new MasteringChain();
        ChainBinder.ApplyAll(values, reference, 0);
        reference.Prepare(new ProcessSpec(rate, block, 2));
        float[] refL = inL[..frames], refR = inR[..frames];
        for (int start = 0; start < frames; start += block)
        {
            reference.Process(new AudioBlock(refL.AsSpan(start, block), refR.AsSpan(start, block)));
        }

        Assert.True(refL.Max(Math.Abs) > 0.5f, "the test signal must be loud enough to exercise the dynamics");

        byte[] written = File.ReadAllBytes(_outputPath);
        int writtenFrames = written.Length / 8;
        float[] outL = new float[writtenFrames], outR = new float[writtenFrames];
        for (int i = 0; i < writtenFrames; i++)
        {
            outL[i] = BitConverter.ToSingle(written, i * 8);
            outR[i] = BitConverter.ToSingle(written, (i * 8) + 4);
        }

        // PortAudio primes playback with silence of its own choosing: locate the engine's first block in the file by the
        // first non-silent stretch of the reference (the chain's look-ahead makes the reference start with zeros too).
        int offset = FindOffset(outL, outR, refL, refR);
        _output.WriteLine($"{rate} Hz, {block}-frame blocks: {writtenFrames} frames written, {frames} processed, PortAudio offset {offset}");
        Assert.True(offset >= 0, "the engine's output was not found in the file");
        Assert.True(writtenFrames >= offset + frames, $"only {writtenFrames - offset} frames after the offset, {frames} processed");
        for (int i = 0; i < offset; i++)
        {
            Assert.True(outL[i] == 0f && outR[i] == 0f, $"PortAudio's start-up frame {i} is not silent");
        }

        int mismatches = 0, firstMismatch = -1;
        for (int i = 0; i < frames; i++)
        {
            bool equal = outL[offset + i] == refL[i] && outR[offset + i] == refR[i];
            if (!equal && firstMismatch < 0)
            {
                firstMismatch = i;
            }

            mismatches += equal ? 0 : 1;
        }

        Assert.True(mismatches == 0, $"{mismatches} of {frames} frames differ, the first at frame {firstMismatch}");
    }

    /// <summary>
    /// The frame offset of the reference in the written file: the first position where 64 frames of the reference,
    /// starting at its first non-zero frame, match exactly; −1 when nowhere.
    /// </summary>
    private static int FindOffset(float[] outL, float[] outR, float[] refL, float[] refR)
    {
        const int window = 64;
        int firstSound = 0;
        while (firstSound < refL.Length && refL[firstSound] == 0f && refR[firstSound] == 0f)
        {
            firstSound++;
        }

        if (firstSound + window > refL.Length)
        {
            return -1;
        }

        for (int position = firstSound; position + window <= outL.Length; position++)
        {
            bool match = true;
            for (int i = 0; i < window && match; i++)
            {
                match = outL[position + i] == refL[firstSound + i] && outR[position + i] == refR[firstSound + i];
            }

            if (match)
            {
                return position - firstSound;
            }
        }

        return -1;
    }
}
