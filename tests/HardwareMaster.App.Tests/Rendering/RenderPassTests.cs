using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Rendering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Rendering;

/// <summary>
/// The render's pass logic (issue 13, speed): the in-memory path (source read once, later passes from what the earlier
/// stages produced) writes exactly what the streaming path (every pass from the file) writes and reports the same; the
/// --max-limiting back-off converges.
/// </summary>
public sealed class RenderPassTests
{
    private static readonly PresetLibrary Library = new(ParameterRegistry.Chain);

    private static ParameterSet PresetValues(string name)
    {
        Assert.True(Library.TryGetFactory(name, out Preset preset));
        return preset.Values.Clone();
    }

    public static TheoryData<string, double?, SampleEncoding, int, double?, bool> Cases => new()
    {
        { "streaming-pop-rock", -14.0, SampleEncoding.Pcm24, 512, null, false },
        { "hip-hop", -9.0, SampleEncoding.Pcm16, 37, null, false }, // odd block size, heavy limiting (corrective passes)
        { "broadcast-r128", null, SampleEncoding.Float32, 64, null, false }, // no target: one writing pass
        { "streaming-pop-rock", -12.0, SampleEncoding.Float32, 512, -20.0, false }, // programme loudness given: no programme pass
        { "podcast-speech", -16.0, SampleEncoding.Pcm24, 256, null, true }, // mono
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_InMemoryAndStreamed_WriteTheSameBytesAndTheSameReport(string preset, double? target, SampleEncoding encoding, int block, double? programme, bool mono)
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 6, 48000);
        if (mono)
        {
            (float[] left, _) = TestFiles.Read(input);
            input = files.PathOf("mono.wav");
            using var writer = AudioFileWriter.Create(input, AudioContainer.Wav, SampleEncoding.Float32, 48000, 1);
            writer.Write(left);
            writer.Complete();
        }

        var memoryTrace = new HashingTrace();
        var streamTrace = new HashingTrace();
        RenderResult inMemory = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("a.wav"), PresetValues(preset), target, encoding, block, Trace: memoryTrace, ProgrammeLufs: programme));
        RenderResult streamed;
        OfflineRenderer.MaxBufferedBytes = 0; // this flow only: stream every pass from the file
        try
        {
            streamed = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("b.wav"), PresetValues(preset), target, encoding, block, Trace: streamTrace, ProgrammeLufs: programme));
        }
        finally
        {
            OfflineRenderer.MaxBufferedBytes = OfflineRenderer.DefaultMaxBufferedBytes;
        }

        Assert.Equal(File.ReadAllBytes(files.PathOf("b.wav")), File.ReadAllBytes(files.PathOf("a.wav")));
        Assert.Equal(streamed.Passes, inMemory.Passes);
        Assert.Equal(streamed.LoudnessGainDb, inMemory.LoudnessGainDb);
        Assert.Equal(streamed.Input, inMemory.Input);
        Assert.Equal(streamed.Output, inMemory.Output);
        Assert.Equal(streamed.Compressor, inMemory.Compressor);
        Assert.Equal(streamed.Limiter, inMemory.Limiter);
        Assert.Equal(streamed.LatencyFrames, inMemory.LatencyFrames);
        Assert.Equal(streamed.Warnings, inMemory.Warnings);
        Assert.Equal(streamed.InputHealth, inMemory.InputHealth);
        Assert.Equal(streamed.OutputHealth, inMemory.OutputHealth);
        Assert.Equal(streamTrace.Summary, memoryTrace.Summary);
        Assert.Equal(1, memoryTrace.Begins);
        Assert.True(memoryTrace.WritePasses >= 1);
    }

    [Fact]
    public void Analyze_InMemoryAndStreamed_MeasureTheSame()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 5, 44100);
        var request = new RenderRequest(input, files.PathOf("out.wav"), PresetValues("streaming-pop-rock"), -14, SampleEncoding.Pcm24);

        RenderAnalysis inMemory = OfflineRenderer.Analyze(request);
        RenderAnalysis streamed;
        OfflineRenderer.MaxBufferedBytes = 0;
        try
        {
            streamed = OfflineRenderer.Analyze(request);
        }
        finally
        {
            OfflineRenderer.MaxBufferedBytes = OfflineRenderer.DefaultMaxBufferedBytes;
        }

        Assert.Equal(streamed, inMemory);
        Assert.Equal(2, inMemory.Passes); // programme loudness, then pre-limiter loudness
    }

    [Theory]
    [InlineData(null, 8.0, 1.0)] // the default chain: one back-off step left it at 1.76 LU against 1 (the final-pass warning)
    [InlineData("streaming-pop-rock", 10.0, 2.0)]
    public void Render_TargetNeedingTooMuchLimiting_BackOffEndsWithinTheAllowance(string? preset, double seconds, double maxLimiting)
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", seconds, 48000);
        ParameterSet values = preset is null ? new ParameterSet(ParameterRegistry.Chain) : PresetValues(preset);
        if (preset is not null)
        {
            values.Set("comp.threshold", -18);
        }

        var trace = new HashingTrace();
        var request = new RenderRequest(input, files.PathOf("out.wav"), values, TargetLufs: -5, SampleEncoding.Pcm16, 512, MaxLimitingLu: maxLimiting, Trace: trace);

        RenderResult result = OfflineRenderer.Render(request);
        RenderAnalysis analysis = OfflineRenderer.Analyze(request);

        // Limiting of the written master: the loudness that entered the limiter minus what came out.
        double limiting = analysis.PreLimiter.IntegratedLufs!.Value + result.LoudnessGainDb - result.Output.IntegratedLufs!.Value;
        Assert.InRange(limiting, maxLimiting - 0.5, maxLimiting + 0.25);
        string backOff = Assert.Single(result.Warnings, w => w.Contains("would make the limiter take away", StringComparison.Ordinal));
        // The warning names the whole back-off: the gain over the target's gain and the pass over the allowance.
        System.Text.RegularExpressions.Match backedBy = System.Text.RegularExpressions.Regex.Match(backOff, @"take away ([0-9.]+) LU .*backing off by ([0-9.]+) dB$");
        Assert.True(backedBy.Success, backOff);
        Assert.True(double.Parse(backedBy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > maxLimiting + 0.2, backOff);
        Assert.True(double.Parse(backedBy.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, backOff);
        Assert.DoesNotContain(result.Warnings, w => w.StartsWith("the limiter took away ", StringComparison.Ordinal));
        Assert.Equal(result.Passes - 2, trace.WritePasses); // Passes counts every pass, each writing one included
        Assert.True(result.Output.TruePeakDbtp <= -1.0);
    }

    // Hashes what the trace receives (sums weighted by position), so two renders' traces can be compared.
    private sealed class HashingTrace : IRenderTrace
    {
        private double _input;
        private double _output;
        private double _gain;
        private long _inputFrames;
        private long _outputFrames;
        private long _gainFrames;

        public int Begins { get; private set; }

        public int WritePasses { get; private set; }

        public (double, double, double, long, long, long, int) Summary => (_input, _output, _gain, _inputFrames, _outputFrames, _gainFrames, WritePasses);

        public void Begin(int sampleRateHz, int channels) => Begins++;

        public void Input(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            _input += Hash(left, right, _inputFrames);
            _inputFrames += left.Length;
        }

        public void BeginWritePass()
        {
            WritePasses++;
            _output = _gain = 0;
            _outputFrames = _gainFrames = 0;
        }

        public void Output(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            _output += Hash(left, right, _outputFrames);
            _outputFrames += left.Length;
        }

        public void GainReduction(double compressorDb, double limiterDb, int frames)
        {
            _gain += ((compressorDb * 3) + limiterDb) * (_gainFrames + 1);
            _gainFrames += frames;
        }

        private static double Hash(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long at)
        {
            double sum = 0;
            for (int i = 0; i < left.Length; i++)
            {
                sum += (left[i] + (right.IsEmpty ? 0 : 3 * right[i])) * ((at + i) % 1021);
            }

            return sum;
        }
    }
}
