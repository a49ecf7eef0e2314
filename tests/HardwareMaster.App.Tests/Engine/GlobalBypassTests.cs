using HardwareMaster.App.Engine;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>The loudness-matched global bypass (<see cref="AudioEngine.GlobalBypass"/>).</summary>
public class GlobalBypassTests(ITestOutputHelper output)
{
    private const int Rate = 48000;
    private const int Block = 64;

    private static AudioEngine Prepared(double loudnessGainDb, double trimDb = 0)
    {
        var chain = new MasteringChain();
        chain.SetLoudnessGainDb(loudnessGainDb);
        chain.SetTrim(new TrimSettings { GainDb = trimDb });
        var engine = new AudioEngine(chain);
        engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
        return engine;
    }

    private static IAudioSignal Programme(string name) => name switch
    {
        "pink" => new PinkNoiseSignal(-20, 11),
        _ => new DemoMixSignal(Rate),
    };

    // Two engines with the same settings hear the same programme; after 12 s of learning, the second one is bypassed.
    // Its output (the dry input times the match gain) must be as loud as the first one's (processed) output at the same
    // moment, measured independently of the engine.
    [Theory]
    [InlineData("pink")]
    [InlineData("demo")]
    public void GlobalBypass_ProgrammeWithEightDbLoudnessGain_AsLoudAsTheProcessedOutput(string programme)
    {
        AudioEngine processed = Prepared(8), bypassed = Prepared(8);
        IAudioSignal signal = Programme(programme);
        var processedMeter = new ProgramMeter(Rate, 2);
        var bypassedMeter = new ProgramMeter(Rate, 2);
        var inputMeter = new ProgramMeter(Rate, 2);
        float[] inL = new float[Block], inR = new float[Block];
        float[] aL = new float[Block], aR = new float[Block], bL = new float[Block], bR = new float[Block];
        const long learn = 12L * Rate, compare = 8L * Rate; // the demo mix loops every 8 s: one whole loop is compared
        for (long frame = 0; frame < learn + (3L * Rate) + compare; frame += Block)
        {
            if (frame == learn)
            {
                bypassed.GlobalBypass = true;
            }

            if (frame == learn + (3L * Rate))
            {
                processedMeter.Reset(); // from here on only bypassed audio is in the second meter's windows
                bypassedMeter.Reset();
            }

            signal.Render(inL, inR, frame);
            processed.ProcessBlock(new AudioBuffers(inL, inR, aL, aR, frame / Block));
            bypassed.ProcessBlock(new AudioBuffers(inL, inR, bL, bR, frame / Block));
            processedMeter.Process(aL, aR);
            bypassedMeter.Process(bL, bR);
            inputMeter.Process(inL, inR);
        }

        MeterSnapshot meters = bypassed.ReadMeters();
        double processedLufs = processedMeter.GetReport().IntegratedLufs!.Value;
        double bypassedLufs = bypassedMeter.GetReport().IntegratedLufs!.Value;
        double rawLufs = inputMeter.GetReport().IntegratedLufs!.Value;
        output.WriteLine($"{programme}: input {rawLufs:F2} LUFS, processed {processedLufs:F2} LUFS, bypassed {bypassedLufs:F2} LUFS, match {meters.BypassMatchDb:F2} dB; short-term processed {processedMeter.ShortTermLufs:F2}, bypassed {bypassedMeter.ShortTermLufs:F2}");
        Assert.True(meters.GlobalBypass);
        Assert.True(meters.BypassMatchDb > 3, $"match {meters.BypassMatchDb} dB (input {rawLufs} LUFS, processed {processedLufs} LUFS)");
        Assert.True(Math.Abs(bypassedLufs - processedLufs) <= 0.5, $"bypassed {bypassedLufs:F2} LUFS, processed {processedLufs:F2} LUFS, match {meters.BypassMatchDb:F2} dB");
        Assert.True(Math.Abs(bypassedMeter.ShortTermLufs - processedMeter.ShortTermLufs) <= 0.5, $"short-term bypassed {bypassedMeter.ShortTermLufs:F2}, processed {processedMeter.ShortTermLufs:F2}");
        Assert.Equal(bypassedMeter.ShortTermLufs, meters.ShortTermLufs, 0.5); // the engine's meters measure what goes out
    }

    [Fact]
    public void GlobalBypass_In_OutputIsTheInputBeforeTrimAndGainDelayedByTheLatencyTimesTheMatchGain()
    {
        AudioEngine engine = Prepared(8, trimDb: 6);
        var signal = new PinkNoiseSignal(-34, 12); // quiet enough that the matched dry signal stays below full scale
        int latency = engine.LatencyFrames;
        Assert.True(latency > 0);
        var input = new List<float>();
        var output = new List<float>();
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        for (long frame = 0; frame < 6L * Rate; frame += Block)
        {
            if (frame == 5L * Rate)
            {
                engine.GlobalBypass = true;
            }

            signal.Render(inL, inR, frame);
            input.AddRange(inL);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
            output.AddRange(outL);
        }

        float gain = (float)Math.Pow(10, engine.ReadMeters().BypassMatchDb / 20);
        int checkedFrames = 0;
        for (int n = output.Count - Rate / 2; n < output.Count; n++, checkedFrames++)
        {
            Assert.Equal(gain * input[n - latency], output[n], 1e-6f);
        }

        Assert.Equal(Rate / 2, checkedFrames);
        Assert.Equal(0, engine.ReadStatistics().ClippedSamples);
        Assert.True(gain > 2, $"match gain {gain}: the dry path leaves out the +6 dB trim and the +8 dB loudness gain");
    }

    [Fact]
    public void GlobalBypass_ToggledOnAndOff_NoClick()
    {
        // A 100 Hz sine: the processed path (+6 dB, high-pass phase shift, compression) and the matched dry path differ
        // in phase and level, so a hard switch would step by a large fraction of the amplitude; the crossfade stays as
        // smooth as the sine itself.
        AudioEngine engine = Prepared(6);
        var signal = new ToneSignal(100, -12, Rate);
        var samples = new List<float>();
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        long on = 6L * Rate, off = 8L * Rate;
        for (long frame = 0; frame < 10L * Rate; frame += Block)
        {
            if (frame == on || frame == off)
            {
                engine.GlobalBypass = frame == on;
            }

            signal.Render(inL, inR, frame);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
            samples.AddRange(outL);
        }

        static float MaxStep(List<float> x, long from, long to)
        {
            float max = 0;
            for (long i = from; i < to; i++)
            {
                max = Math.Max(max, Math.Abs(x[(int)i] - x[(int)i - 1]));
            }

            return max;
        }

        float steady = Math.Max(MaxStep(samples, on - Rate, on), MaxStep(samples, off - Rate, off));
        float atToggles = Math.Max(MaxStep(samples, on, on + (Rate / 10)), MaxStep(samples, off, off + (Rate / 10)));
        output.WriteLine($"largest step: steady {steady:F5}, at the toggles {atToggles:F5}");
        Assert.True(steady > 0.005f, $"steady step {steady}");
        Assert.True(atToggles <= 1.25f * steady, $"largest step at a toggle {atToggles}, in steady state {steady}");
        Assert.True(Math.Abs(engine.ReadMeters().BypassMatchDb) > 1); // a real level difference was matched
    }

    [Fact]
    public void BypassMatchDb_HeldDuringSilenceAndBounded()
    {
        AudioEngine engine = Prepared(40); // 40 dB of loudness gain on a -60 dBFS noise: a difference beyond the bound
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        var noise = new PinkNoiseSignal(-60, 13);
        long frame = 0;
        for (; frame < 10L * Rate; frame += Block)
        {
            noise.Render(inL, inR, frame);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
        }

        double learned = engine.ReadMeters().BypassMatchDb;
        Array.Clear(inL);
        Array.Clear(inR);
        void Silence(double seconds)
        {
            for (long end = frame + (long)(seconds * Rate); frame < end; frame += Block)
            {
                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
            }
        }

        Silence(4); // the 3 s windows empty: both loudness readings fall to -inf, their difference is meaningless
        double afterDecay = engine.ReadMeters().BypassMatchDb;
        Silence(10);

        Assert.InRange(learned, 23.9, 24);
        Assert.Equal(learned, afterDecay, 0.05);
        Assert.Equal(afterDecay, engine.ReadMeters().BypassMatchDb);
    }
}
