using HardwareMaster.App.Engine;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.App.Tests.Monitor;

[Collection(nameof(HardwareMaster.Hal.Tests.AudioFiles.AllocationMeasurements))] // allocation counts: run alone
public class MonitorPathTests
{
    private const int Rate = 48000;
    private const int Block = 64;

    private static readonly MonitorEqFilter[] Calibration =
    [
        new(MonitorEqType.Peak, 63, -5, 4),
        new(MonitorEqType.LowShelf, 100, 2, 0.7071),
        new(MonitorEqType.HighShelf, 8000, -1.5, 0.7071),
        new(MonitorEqType.HighPass, 20, 0, 0.7071),
        new(MonitorEqType.LowPass, 20000, 0, 0.7071),
    ];

    private sealed class Capture : IMonitorSink
    {
        public readonly List<float> Left = new(1 << 16), Right = new(1 << 16);
        public double MaxAbs;

        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            for (int i = 0; i < left.Length; i++)
            {
                MaxAbs = Math.Max(MaxAbs, Math.Max(Math.Abs(left[i]), Math.Abs(right[i])));
            }
        }
    }

    private sealed class MasterProbe : IEngineBlockObserver
    {
        public readonly List<float> Master = new(1 << 17);

        public void OnBlock(in EngineBlockView view)
        {
            for (int i = 0; i < view.Frames; i++)
            {
                Master.Add(view.MasterLeft[i]);
                Master.Add(view.MasterRight[i]);
            }
        }
    }

    private static AudioEngine CreateEngine()
    {
        var engine = new AudioEngine(new MasteringChain());
        _ = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
        engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
        return engine;
    }

    private static void Input(int b, float[] l, float[] r, double gain)
    {
        for (int i = 0; i < Block; i++)
        {
            long n = ((long)b * Block) + i;
            l[i] = (float)(gain * ((0.8 * Math.Sin(2 * Math.PI * 110 * n / Rate)) + (0.3 * Math.Sin(2 * Math.PI * 3100 * n / Rate))));
            r[i] = (float)(gain * ((0.6 * Math.Sin(2 * Math.PI * 110 * n / Rate)) + (0.4 * Math.Sin(2 * Math.PI * 5300 * n / Rate))));
        }
    }

    private static List<float> Run(AudioEngine engine, int blocks, double gain, Action<int>? perBlock = null)
    {
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        var output = new List<float>(blocks * Block * 2);
        for (int b = 0; b < blocks; b++)
        {
            perBlock?.Invoke(b);
            Input(b, inL, inR, gain);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            for (int i = 0; i < Block; i++)
            {
                output.Add(outL[i]);
                output.Add(outR[i]);
            }
        }

        return output;
    }

    [Fact]
    public void Render_EveryFunctionOn_MasterBitIdentical()
    {
        const int blocks = 3000;
        List<float> reference = Run(CreateEngine(), blocks, 4.0); // hot: the limiter works

        // Separate pair: the device output and the observers' master stay the master, bit for bit.
        var sinkEngine = CreateEngine();
        var path = new MonitorPath(MonitorRoute.Sink, new Capture());
        path.SetCalibration(Calibration);
        sinkEngine.AttachMonitor(path);
        var probe = new MasterProbe();
        sinkEngine.AttachObserver(EngineObserverSlot.Auxiliary, probe);
        List<float> sinkOut = Run(sinkEngine, blocks, 4.0, b => path.Function = (MonitorFunction)(b / 400 % 7));
        Assert.Equal(reference, sinkOut);
        Assert.Equal(reference, probe.Master);

        // 2-output interface: the device plays the monitor while active, the observers (recorder) still get the master.
        var mainEngine = CreateEngine();
        var main = new MonitorPath(MonitorRoute.MainOutput);
        mainEngine.AttachMonitor(main);
        var mainProbe = new MasterProbe();
        mainEngine.AttachObserver(EngineObserverSlot.Auxiliary, mainProbe);
        List<float> mainOut = Run(mainEngine, blocks, 4.0, b => main.Function = (MonitorFunction)(1 + (b / 400 % 6)));
        Assert.Equal(reference, mainProbe.Master);
        Assert.NotEqual(reference, mainOut);
        Assert.True(main.ReplacesOutput);
    }

    [Fact]
    public void Delta_LimiterAtZeroGainReduction_IsSilence_AndHotInputIsNot()
    {
        var engine = CreateEngine();
        var capture = new Capture();
        var path = new MonitorPath(MonitorRoute.Sink, capture) { Function = MonitorFunction.Delta };
        engine.AttachMonitor(path);
        Run(engine, 2000, 0.05); // about −26 dBFS: no gain reduction
        Assert.Equal(0.0, engine.Chain.ReadLimiterGainReduction().MaxSinceLastReadDb, 6);
        Assert.Equal(0.0, capture.MaxAbs);

        var hot = new Capture();
        var hotEngine = CreateEngine();
        hotEngine.AttachMonitor(new MonitorPath(MonitorRoute.Sink, hot) { Function = MonitorFunction.Delta });
        Run(hotEngine, 2000, 4.0);
        Assert.True(hot.MaxAbs > 0.01, $"delta of a limiting limiter peaked at {hot.MaxAbs}");
    }

    [Theory]
    [InlineData(MonitorFunction.Mono)]
    [InlineData(MonitorFunction.Side)]
    [InlineData(MonitorFunction.Phone)]
    [InlineData(MonitorFunction.Earbuds)]
    [InlineData(MonitorFunction.Car)]
    public void Voicing_PinkNoiseProgramme_LoudnessMatchedWithinHalfLu(MonitorFunction function)
    {
        var processor = new MonitorProcessor { Function = function };
        processor.Prepare(Rate, 512);
        var a = new PinkNoiseSignal(-20, seed: 7);
        var b = new PinkNoiseSignal(-20, seed: 11);
        var master = new ProgramMeter(Rate, 2);
        var monitor = new ProgramMeter(Rate, 2);
        float[] l = new float[512], r = new float[512], n1 = new float[512], n2 = new float[512], scratch = new float[512];
        int blocks = 30 * Rate / 512;
        for (int k = 0; k < blocks; k++)
        {
            a.Render(n1, scratch, (long)k * 512);
            b.Render(n2, scratch, (long)k * 512);
            double swell = 1 + (0.5 * Math.Sin(2 * Math.PI * k / 400.0)); // programme-like level movement
            for (int i = 0; i < 512; i++)
            {
                l[i] = (float)(swell * (n1[i] + (0.4 * n2[i])));
                r[i] = (float)(swell * (n1[i] - (0.4 * n2[i])));
            }

            processor.Process(l, r, default, default);
            if (k * 512 >= 5 * Rate)
            {
                master.Process(l, r);
                monitor.Process(processor.Left, processor.Right);
            }
        }

        Assert.True(master.TryReadGatedLoudness(out double masterLufs, out _));
        Assert.True(monitor.TryReadGatedLoudness(out double monitorLufs, out _));
        Assert.InRange(monitorLufs - masterLufs, -0.5, 0.5);
    }

    /// <summary>The same 0.5 LU match on programme-like material: the demo mix (kick, bass, chords, hats; hal's DemoMixSignal).</summary>
    [Theory]
    [InlineData(MonitorFunction.Mono)]
    [InlineData(MonitorFunction.Side)]
    [InlineData(MonitorFunction.Phone)]
    [InlineData(MonitorFunction.Earbuds)]
    [InlineData(MonitorFunction.Car)]
    public void Voicing_DemoMixProgramme_LoudnessMatchedWithinHalfLu(MonitorFunction function)
    {
        var processor = new MonitorProcessor { Function = function };
        processor.Prepare(Rate, 512);
        var mix = new HardwareMaster.Hal.Audio.Generators.DemoMixSignal(Rate);
        var master = new ProgramMeter(Rate, 2);
        var monitor = new ProgramMeter(Rate, 2);
        float[] l = new float[512], r = new float[512];
        int blocks = 30 * Rate / 512;
        for (int k = 0; k < blocks; k++)
        {
            mix.Render(l, r, (long)k * 512);
            processor.Process(l, r, default, default);
            if (k * 512 >= 5 * Rate)
            {
                master.Process(l, r);
                monitor.Process(processor.Left, processor.Right);
            }
        }

        Assert.True(master.TryReadGatedLoudness(out double masterLufs, out _));
        Assert.True(monitor.TryReadGatedLoudness(out double monitorLufs, out _));
        Assert.True(masterLufs > -40, $"the demo mix measured {masterLufs:0.0} LUFS");
        Assert.InRange(monitorLufs - masterLufs, -0.5, 0.5);
    }

    [Fact]
    public void Render_SteadyState_AllocatesNothingPerBlock()
    {
        var engine = CreateEngine();
        var path = new MonitorPath(MonitorRoute.Sink, new Capture()) { Function = MonitorFunction.Delta };
        path.SetCalibration(Calibration);
        engine.AttachMonitor(path);
        engine.Warm(200, fadeInMs: 0);
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        for (int b = 0; b < 500; b++)
        {
            Input(b, inL, inR, 4.0);
            path.Function = (MonitorFunction)(b % 7);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        // Least of four segments: the per-thread counter can jump once when another thread's GC retires this thread's
        // allocation context (see ProgramMeterTests); an allocation per block shows in every segment.
        long smallest = long.MaxValue;
        for (int segment = 0; segment < 4; segment++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int b = 500 + (segment * 1000); b < 1500 + (segment * 1000); b++)
            {
                Input(b, inL, inR, 4.0);
                path.Function = (MonitorFunction)(b / 100 % 7);
                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, smallest);
    }
}
