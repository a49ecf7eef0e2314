using HardwareMaster.App.Assistant.Check;
using HardwareMaster.App.Assistant.Ready;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.App.Tests.Assistant.Ready;

/// <summary>READY?: the engine's input through the feed to the analysis, judged as `check` judges a file.</summary>
[Collection(nameof(AllocationMeasurements))]
public class ReadinessAnalyzerTests
{
    private const int Rate = 48000;
    private const int Block = 64;

    private sealed class Rig
    {
        private readonly float[] _inL = new float[Block], _inR = new float[Block], _outL = new float[Block], _outR = new float[Block];
        private long _frame;

        public Rig()
        {
            Engine = new AudioEngine(new MasteringChain());
            _ = new EngineController(Engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
            Engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
            Engine.AttachObserver(EngineObserverSlot.Analysis, Feed);
        }

        public AudioEngine Engine { get; }

        public ProgrammeFeed Feed { get; } = new();

        // Plays `seconds` of signal(frame, channel) through the engine, handing each block also to `also`.
        public void Play(double seconds, Func<long, int, float> signal, Action<float[], float[]>? also = null, ReadinessAnalyzer? pump = null)
        {
            long blocks = (long)(seconds * Rate / Block);
            for (long b = 0; b < blocks; b++)
            {
                for (int i = 0; i < Block; i++)
                {
                    _inL[i] = signal(_frame + i, 0);
                    _inR[i] = signal(_frame + i, 1);
                }

                also?.Invoke(_inL, _inR);
                Engine.ProcessBlock(new AudioBuffers(_inL, _inR, _outL, _outR, _frame / Block));
                _frame += Block;
                if (pump is not null && b % 256 == 0)
                {
                    pump.Pump();
                }
            }
        }
    }

    // A mix bounced too hot: a 220 Hz / 330 Hz pair driven 6 dB into a hard clip at full scale.
    private static float Hot(long n, int channel) =>
        Math.Clamp((float)(2 * (Math.Sin(2 * Math.PI * 220 * n / Rate) + (0.5 * Math.Sin((2 * Math.PI * 330 * n / Rate) + channel)))), -1f, 1f);

    private static float Clean(long n, int channel) =>
        (float)(0.25 * (Math.Sin(2 * Math.PI * 220 * n / Rate) + (0.3 * Math.Sin((2 * Math.PI * 3300 * n / Rate) + channel))));

    [Fact]
    public void Pump_HotMix_JudgesLikeCheckOnTheSameSamples_AndResetStartsAgain()
    {
        var rig = new Rig();
        using var analyzer = new ReadinessAnalyzer(rig.Feed, startWorker: false) { Judging = true };
        var direct = new MixMeter(Rate, 2);
        rig.Play(4, Hot, (l, r) => direct.Process(l, r), analyzer);
        while (analyzer.Pump() > 0)
        {
        }

        analyzer.Pump(forceJudge: true);
        IReadOnlyList<CheckItem> expected = MixChecklist.Evaluate(direct.GetMeasurement(new MixFormat(Rate, 2, 32, true, "x")), GenreProfile.Default);
        IReadOnlyList<CheckItem> items = analyzer.LastItems!;
        Assert.Equal(ReadinessAnalyzer.ItemIds, items.Select(i => i.Id));
        foreach (CheckItem item in items)
        {
            CheckItem reference = expected.Single(e => e.Id == item.Id);
            Assert.Equal(reference.Verdict, item.Verdict);
            Assert.Equal(reference.Value.HasValue, item.Value.HasValue);
            if (reference.Value is { } value)
            {
                Assert.Equal(value, item.Value!.Value, 1e-9 * Math.Max(1, Math.Abs(value))); // the same samples in other chunks (4096 vs 64 frames)
            }
        }

        Assert.Equal(CheckVerdict.Fail, items[1].Verdict); // clipping
        Assert.Equal(CheckVerdict.Fail, items[0].Verdict); // no headroom
        var lines = new ReadyLine[7];
        Assert.Equal(4.0, analyzer.Read(lines), 2);
        Assert.Equal((int)CheckVerdict.Fail, lines[1].Verdict);
        Assert.Equal(0, rig.Feed.DroppedFrames);

        analyzer.Reset();
        analyzer.Pump();
        Assert.Equal(0, analyzer.Read(lines));
        Assert.All(lines, l => Assert.Equal(-1, l.Verdict));
        rig.Play(3, Clean, pump: analyzer);
        while (analyzer.Pump() > 0)
        {
        }

        analyzer.Pump(forceJudge: true);
        Assert.Equal(3.0, analyzer.Read(lines), 2);
        Assert.Equal((int)CheckVerdict.Pass, lines[0].Verdict); // headroom: −6 dBTP or so
        Assert.Equal((int)CheckVerdict.Pass, lines[1].Verdict); // no clipping since the reset
    }

    [Fact]
    public void Worker_WhilePageShown_JudgesOncePerSecondOfAudio_OnlyThen()
    {
        var rig = new Rig();
        using var analyzer = new ReadinessAnalyzer(rig.Feed);
        rig.Play(2, Clean);
        Assert.True(SpinWait.SpinUntil(() => analyzer.Read(new ReadyLine[7]) >= 1.99, TimeSpan.FromSeconds(30)), "the worker did not drain the feed");
        Assert.Equal(0, analyzer.Judgements); // not shown: listens only
        analyzer.Judging = true;
        rig.Play(1.5, Clean);
        Assert.True(SpinWait.SpinUntil(() => analyzer.Judgements > 0, TimeSpan.FromSeconds(30)), "no judgement while shown");
        ReadyStatistics stats = analyzer.Finish();
        Assert.Equal(3.5, stats.SecondsHeard, 2);
        Assert.Equal(7, stats.Items.Count);
        Assert.Equal("pass", stats.Items[1].Verdict);
    }

    [Fact]
    public void ProcessBlockAndPump_NotJudging_AllocateNothingAfterWarmUp()
    {
        var rig = new Rig();
        using var analyzer = new ReadinessAnalyzer(rig.Feed, startWorker: false);
        rig.Play(1, Clean, pump: analyzer);
        analyzer.Pump();
        long bytes = AllocationProbe.SmallestBytesAllocated(() => rig.Play(0.5, Clean, pump: analyzer));
        Assert.Equal(0, bytes);
    }
}
