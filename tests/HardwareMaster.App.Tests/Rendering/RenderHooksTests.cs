using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Rendering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Rendering;

public sealed class RenderHooksTests
{
    private static readonly PresetLibrary Library = new(ParameterRegistry.Chain);

    [Fact]
    public void Render_WithTrace_SeesTheWholeSourceAndExactlyTheMasterWritten()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 4, 48000);
        string output = files.PathOf("out.wav");
        var trace = new CountingTrace();
        Assert.True(Library.TryGetFactory("hip-hop", out Preset preset));

        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, output, preset.Values.Clone(), -10, SampleEncoding.Float32, 512, Trace: trace));

        (float[] left, _) = TestFiles.Read(output);
        Assert.Equal(1, trace.Begins);
        Assert.Equal(result.Passes - 2, trace.WritePasses); // programme + analysis passes do not write
        Assert.Equal(result.Input.DurationFrames, trace.InputFrames);
        Assert.Equal(left.Length, trace.OutputFrames);
        Assert.Equal(left[^1], trace.LastOutput);
        Assert.True(trace.GainReductionFrames >= left.Length, "every processed block reports its gain reduction");
        Assert.True(trace.MaxLimiterDb > 0, "hip-hop at −10 LUFS limits");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Render_BypassedStages_TraceReportsNoGainReductionForThem(bool buffered)
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 4, 48000);
        Assert.True(Library.TryGetFactory("hip-hop", out Preset preset));
        ParameterSet values = preset.Values.Clone();
        values.Set("comp.bypass", 1);
        values.Set("limiter.bypass", 1);
        var trace = new CountingTrace();
        long saved = OfflineRenderer.MaxBufferedBytes;
        OfflineRenderer.MaxBufferedBytes = buffered ? saved : 0;
        try
        {
            OfflineRenderer.Render(new RenderRequest(input, files.PathOf("out.wav"), values, -10, SampleEncoding.Float32, 512, Trace: trace));
        }
        finally
        {
            OfflineRenderer.MaxBufferedBytes = saved;
        }

        Assert.True(trace.GainReductionFrames > 0);
        Assert.Equal(0, trace.MaxLimiterDb);
        Assert.Equal(0, trace.MaxCompressorDb);
    }

    [Fact]
    public void Analyze_GivesThePreLimiterLoudnessTheRenderTargetsFrom()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 4, 44100);
        Assert.True(Library.TryGetFactory("streaming-pop-rock", out Preset preset));
        var request = new RenderRequest(input, files.PathOf("out.wav"), preset.Values.Clone(), -14, SampleEncoding.Pcm24);

        RenderAnalysis analysis = OfflineRenderer.Analyze(request);
        Assert.Equal([input], System.IO.Directory.GetFiles(files.Directory, "*", SearchOption.AllDirectories)); // analysis writes nothing
        RenderResult result = OfflineRenderer.Render(request);

        Assert.Equal(result.Input.IntegratedLufs!.Value, analysis.Input.IntegratedLufs!.Value, 6);
        Assert.False(double.IsNaN(analysis.ProgrammeLufs));
        Assert.Equal(-14 - analysis.PreLimiter.IntegratedLufs!.Value, result.LoudnessGainDb, 1); // the corrective pass moves it a little
    }

    [Fact]
    public void Render_GivenProgrammeLoudness_CompressesAsIfTheProgrammeWereThatLoud()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 4, 44100);
        Assert.True(Library.TryGetFactory("streaming-pop-rock", out Preset preset));

        RenderResult quiet = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("a.wav"), preset.Values.Clone(), null, SampleEncoding.Float32, ProgrammeLufs: -30));
        RenderResult loud = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("b.wav"), preset.Values.Clone(), null, SampleEncoding.Float32, ProgrammeLufs: -10));

        // The threshold follows the programme: a programme said to be louder is compressed less at the same input.
        Assert.True(quiet.Compressor!.Value.MeanDb > loud.Compressor!.Value.MeanDb + 0.5, $"{quiet.Compressor.Value.MeanDb:0.00} vs {loud.Compressor.Value.MeanDb:0.00} dB");
    }

    private sealed class CountingTrace : IRenderTrace
    {
        public int Begins { get; private set; }

        public int WritePasses { get; private set; }

        public long InputFrames { get; private set; }

        public long OutputFrames { get; private set; }

        public float LastOutput { get; private set; }

        public long GainReductionFrames { get; private set; }

        public double MaxLimiterDb { get; private set; }

        public double MaxCompressorDb { get; private set; }

        public void Begin(int sampleRateHz, int channels) => Begins++;

        public void Input(ReadOnlySpan<float> left, ReadOnlySpan<float> right) => InputFrames += left.Length;

        public void BeginWritePass()
        {
            WritePasses++;
            OutputFrames = 0;
            GainReductionFrames = 0;
        }

        public void Output(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            OutputFrames += left.Length;
            LastOutput = left[^1];
        }

        public void GainReduction(double compressorDb, double limiterDb, int frames)
        {
            GainReductionFrames += frames;
            MaxLimiterDb = Math.Max(MaxLimiterDb, limiterDb);
            MaxCompressorDb = Math.Max(MaxCompressorDb, compressorDb);
        }
    }
}
