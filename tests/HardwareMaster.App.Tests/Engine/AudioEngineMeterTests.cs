using HardwareMaster.App.Engine;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>The meter contract: every <see cref="MeterSnapshot"/> field filled by <see cref="AudioEngine.ReadMeters"/>.</summary>
[Collection(nameof(HardwareMaster.Hal.Tests.AudioFiles.AllocationMeasurements))] // allocation counts: run alone (other tests' GCs disturb the per-thread counter)
public class AudioEngineMeterTests
{
    private const int Rate = 48000;
    private const int Block = 64;

    private static AudioEngine Prepared(MasteringChain? chain = null)
    {
        var engine = new AudioEngine(chain ?? new MasteringChain()) { LoudnessReportIntervalMs = 100 };
        engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
        return engine;
    }

    private static void Run(AudioEngine engine, IAudioSignal signal, double seconds, ref long frame)
    {
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        long end = frame + (long)(seconds * Rate);
        for (; frame < end; frame += Block)
        {
            signal.Render(inL, inR, frame);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
        }
    }

    private sealed class Steps(IAudioSignal loud, IAudioSignal quiet, double secondsEach) : IAudioSignal
    {
        public void Render(Span<float> left, Span<float> right, long startFrame)
        {
            bool isLoud = (long)(startFrame / (secondsEach * Rate)) % 2 == 0;
            (isLoud ? loud : quiet).Render(left, right, startFrame);
        }
    }

    private sealed class Inverted(IAudioSignal inner) : IAudioSignal
    {
        public void Render(Span<float> left, Span<float> right, long startFrame)
        {
            inner.Render(left, right, startFrame);
            left.CopyTo(right);
            for (int i = 0; i < right.Length; i++)
            {
                right[i] = -right[i];
            }
        }
    }

    [Fact]
    public void ReadMeters_Programme_FillsEveryField()
    {
        AudioEngine engine = Prepared();
        engine.Chain.SetLoudnessGainDb(6);
        long frame = 0;
        var programme = new Steps(new PinkNoiseSignal(-16, 1), new PinkNoiseSignal(-28, 2), 4);
        Run(engine, programme, 16, ref frame);
        MeterSnapshot m = engine.ReadMeters();

        Assert.InRange(m.InputPeakLeftDbfs, -20, 0);
        Assert.InRange(m.InputPeakRightDbfs, -20, 0);
        Assert.InRange(m.OutputPeakLeftDbfs, -20, 0);
        Assert.InRange(m.OutputPeakRightDbfs, -20, 0);
        Assert.InRange(m.TruePeakDbtp, -20, -0.9); // the limiter's -1 dBTP ceiling (meter tolerance)
        Assert.InRange(m.TruePeakMaxDbtp, m.TruePeakDbtp, -0.9);
        Assert.InRange(m.MomentaryLufs, -40, -5);
        Assert.InRange(m.ShortTermLufs, -40, -5);
        Assert.InRange(m.IntegratedLufs, -40, -5);
        Assert.InRange(m.LoudnessRangeLu, 1.5, 20); // 12 dB steps, squeezed by the compressor
        Assert.Equal(m.TruePeakMaxDbtp - m.IntegratedLufs, m.PlrDb, 9);
        Assert.InRange(m.InputMomentaryLufs, -45, -10);
        Assert.InRange(m.InputShortTermLufs, -45, -10);
        Assert.InRange(m.InputIntegratedLufs, -45, -10);
        Assert.True(m.IntegratedLufs > m.InputIntegratedLufs + 3, $"+6 dB of loudness gain: in {m.InputIntegratedLufs} out {m.IntegratedLufs}");
        Assert.InRange(m.Correlation, -0.3, 0.3); // independent noise on left and right
        Assert.True(m.CompressorReductionDb >= 0);
        Assert.True(m.LimiterReductionDb > 0);
        Assert.False(m.GlobalBypass);
        Assert.True(m.CpuPercent > 0);
        Assert.Equal(engine.BlocksProcessed, m.Blocks);
        Assert.Equal(engine.ReadStatistics().DeadlineMisses.Total, m.DeadlineMisses);
        Assert.Equal(frame / (double)Rate, m.LoudnessSeconds, 6);
    }

    [Fact]
    public void ReadMeters_BeforeAnyAudio_ReadsSilenceAndUndefined()
    {
        MeterSnapshot m = Prepared().ReadMeters();
        Assert.Equal(double.NegativeInfinity, m.InputPeakLeftDbfs);
        Assert.Equal(double.NegativeInfinity, m.OutputPeakRightDbfs);
        Assert.Equal(double.NegativeInfinity, m.TruePeakDbtp);
        Assert.Equal(double.NegativeInfinity, m.TruePeakMaxDbtp);
        Assert.Equal(double.NegativeInfinity, m.MomentaryLufs);
        Assert.Equal(double.NegativeInfinity, m.ShortTermLufs);
        Assert.Equal(double.NegativeInfinity, m.InputShortTermLufs);
        Assert.True(double.IsNaN(m.IntegratedLufs) && double.IsNaN(m.InputIntegratedLufs) && double.IsNaN(m.LoudnessRangeLu));
        Assert.True(double.IsNaN(m.PlrDb) && double.IsNaN(m.Correlation));
        Assert.Equal(0, m.Blocks);
        Assert.Equal(0, m.LoudnessSeconds);
    }

    [Fact]
    public void ReadMeters_InputAndOutputLoudness_EqualMetersOnTheDeviceInputAndOutput()
    {
        // The engine's input meter sees the device input (before trim), its output meter what goes to the device.
        var chain = new MasteringChain();
        chain.SetTrim(new TrimSettings { GainDb = 3 });
        chain.SetLoudnessGainDb(4);
        AudioEngine engine = Prepared(chain);
        var input = new ProgramMeter(Rate, 2);
        var output = new ProgramMeter(Rate, 2);
        var signal = new Steps(new PinkNoiseSignal(-18, 8), new PinkNoiseSignal(-26, 9), 1.5);
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        for (long frame = 0; frame < 8L * Rate; frame += Block)
        {
            signal.Render(inL, inR, frame);
            input.Process(inL, inR);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
            output.Process(outL, outR);
        }

        MeterSnapshot m = engine.ReadMeters();
        Assert.Equal(input.GetReport().IntegratedLufs!.Value, m.InputIntegratedLufs, 9);
        Assert.Equal(input.ShortTermLufs, m.InputShortTermLufs, 9);
        Assert.Equal(output.GetReport().IntegratedLufs!.Value, m.IntegratedLufs, 9);
        Assert.Equal(output.GetReport().LoudnessRangeLu!.Value, m.LoudnessRangeLu, 9);
        Assert.Equal(output.TruePeakMax, (float)Math.Pow(10, m.TruePeakMaxDbtp / 20), 5);
    }

    [Fact]
    public void ReadMeters_InvertedChannelsThenSilence_CorrelationMinusOneThenNaN()
    {
        var chain = new MasteringChain();
        AudioEngine engine = Prepared(chain);
        long frame = 0;
        Run(engine, new Inverted(new ToneSignal(440, -12, Rate)), 2, ref frame);
        Assert.InRange(engine.ReadMeters().Correlation, -1, -0.95);
        Run(engine, new SilenceSignal(), 2, ref frame);
        Assert.True(double.IsNaN(engine.ReadMeters().Correlation));
    }

    [Fact]
    public void ReadMeters_TruePeak_SincePreviousReadAndSinceReset()
    {
        AudioEngine engine = Prepared();
        engine.Chain.SetBypass(ChainStage.Limiter, true);
        engine.Chain.SetBypass(ChainStage.Compressor, true);
        engine.Chain.Reset();
        long frame = 0;
        Run(engine, new ToneSignal(997, -6, Rate), 1, ref frame);
        Run(engine, new ToneSignal(997, -30, Rate), 1, ref frame);
        MeterSnapshot first = engine.ReadMeters();
        Run(engine, new ToneSignal(997, -30, Rate), 1, ref frame);
        MeterSnapshot second = engine.ReadMeters();

        Assert.InRange(first.TruePeakDbtp, -6.3, -5.7);
        Assert.InRange(second.TruePeakDbtp, -30.3, -29.7); // the -6 dB peak was read already
        Assert.InRange(second.TruePeakMaxDbtp, -6.3, -5.7); // but it is still the programme's maximum
    }

    [Fact]
    public void ResetLoudness_WhileRunning_RestartsTheProgrammeAtTheNextBlock()
    {
        AudioEngine engine = Prepared();
        long frame = 0;
        var quiet = new PinkNoiseSignal(-30, 4);
        Run(engine, new PinkNoiseSignal(-12, 3), 5, ref frame);
        Run(engine, quiet, 0.5, ref frame); // the chain's look-ahead now holds quiet audio too
        MeterSnapshot before = engine.ReadMeters();
        engine.ResetLoudness();
        Run(engine, quiet, 0.2, ref frame); // less than one 400 ms gating block after the reset
        MeterSnapshot justAfter = engine.ReadMeters();
        Run(engine, quiet, 5, ref frame);
        MeterSnapshot later = engine.ReadMeters();

        Assert.True(double.IsFinite(before.IntegratedLufs));
        Assert.InRange(justAfter.LoudnessSeconds, 0.19, 0.21);
        Assert.True(double.IsNaN(justAfter.IntegratedLufs), $"integrated {justAfter.IntegratedLufs}");
        Assert.True(double.IsNaN(justAfter.PlrDb));
        Assert.True(justAfter.TruePeakMaxDbtp < before.TruePeakMaxDbtp - 6, $"TP max {justAfter.TruePeakMaxDbtp} vs {before.TruePeakMaxDbtp}");
        Assert.True(justAfter.MomentaryLufs > -60); // momentary runs on
        Assert.True(later.IntegratedLufs < before.IntegratedLufs - 10, $"the quiet programme alone: {later.IntegratedLufs} vs {before.IntegratedLufs}");
        Assert.InRange(later.LoudnessSeconds, 5.19, 5.21);
    }

    [Fact]
    public void ReadMeters_CompressorBypassed_ReportsNoGainReduction()
    {
        var chain = new MasteringChain();
        chain.SetCompressor(new CompressorSettings { ThresholdDb = -40, Ratio = 4 });
        AudioEngine engine = Prepared(chain);
        long frame = 0;
        var noise = new PinkNoiseSignal(-12, 5);
        Run(engine, noise, 1, ref frame);
        Assert.True(engine.ReadMeters().CompressorReductionDb > 3);

        // Bypassed, the compressor's detector keeps running (for a click-free return) but its reduction is not heard.
        engine.Chain.SetBypass(ChainStage.Compressor, true);
        Run(engine, noise, 0.5, ref frame);
        Assert.Equal(0, engine.ReadMeters().CompressorReductionDb);
        Run(engine, noise, 0.5, ref frame);
        Assert.Equal(0, engine.ReadMeters().CompressorReductionDb);
        engine.Chain.SetBypass(ChainStage.Limiter, true);
        Run(engine, noise, 0.5, ref frame);
        Assert.Equal(0, engine.ReadMeters().LimiterReductionDb);
    }

    [Fact]
    public void ReadMeters_FromAReaderThreadWhileTheAudioThreadRuns_ConsistentAndAudioAllocatesNothing()
    {
        AudioEngine engine = Prepared();
        engine.Warm(300, fadeInMs: 0);
        var signal = new PinkNoiseSignal(-14, 6);
        int done = 0;
        var snapshots = new List<MeterSnapshot>();
        var reader = new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                snapshots.Add(engine.ReadMeters());
                Thread.Yield();
            }
        }) { IsBackground = true, Name = "meter-reader" };

        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        long frame = 0;
        for (; frame < 200 * Block; frame += Block)
        {
            signal.Render(inL, inR, frame);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
        }

        reader.Start();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int b = 0; b < 8000 || snapshots.Count < 10; b++, frame += Block)
        {
            if (b % 2000 == 1000)
            {
                engine.ResetLoudness();
            }

            engine.GlobalBypass = b % 1500 > 1000;
            signal.Render(inL, inR, frame);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Volatile.Write(ref done, 1);
        reader.Join();

        // The reader allocates (its list), so its GCs may retire this thread's allocation context: up to ~8 KB each
        // without an allocation here; one allocation per block would be at least 24 x 8 000 bytes.
        Assert.InRange(allocated, 0, 16_384);
        Assert.All(snapshots, s =>
        {
            Assert.InRange(s.LoudnessSeconds, 0, (double)frame / Rate);
            Assert.True(double.IsNaN(s.IntegratedLufs) || s.IntegratedLufs is > -40 and < 0, $"integrated {s.IntegratedLufs}");
            Assert.True(s.BypassMatchDb is >= -24 and <= 24);
        });
    }
}
