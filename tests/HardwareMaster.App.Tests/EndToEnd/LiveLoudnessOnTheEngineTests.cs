using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.EndToEnd;

/// <summary>
/// Learn and ride on the real engine (the chain, its meters, the box backend), not on a model: the audio runs block by
/// block on this thread, the UI's once-a-frame update every 40 ms of audio, on a fake clock that follows the audio.
/// </summary>
public sealed class LiveLoudnessOnTheEngineTests
{
    private const int Rate = 48000;
    private const int Block = 64;
    private const int BlocksPerFrame = 30; // 40 ms of audio: one UI frame at 25 fps
    [Theory]
    [InlineData("streaming-pop-rock", -14.0)]
    [InlineData("streaming-pop-rock", -16.0)]
    [InlineData("broadcast-r128", -23.0)]
    public void Learn_OnePassOfTheSong_SecondPassLandsWithinHalfALuOfTarget(string preset, double target)
    {
        using var box = new Box(preset);
        box.Targeting.TargetLufs = target;

        box.Targeting.StartLearn();
        double first = box.PlayDemoAndMeasureOutput(seconds: 20);
        Assert.True(box.Targeting.FinishLearn());
        Assert.True(Math.Abs(first - target) > 1, $"the first pass is already at {first:0.00} LUFS: nothing to learn");
        Assert.Equal(LoudnessAssistMode.Learned, box.Targeting.Mode);

        double second = box.PlayDemoAndMeasureOutput(seconds: 20);
        Assert.InRange(second, target - 0.5, target + 0.5);
    }

    [Fact]
    public void Ride_LongSilenceAfterTheSong_HoldsTheGainExactly()
    {
        using var box = new Box("streaming-pop-rock");
        box.Targeting.TargetLufs = -14;
        box.Targeting.SetRide(true);
        box.PlayDemo(seconds: 60);
        double gainAfterSong = box.Gain;

        box.PlaySilence(seconds: 120);

        Assert.Equal(LoudnessAssistMode.Riding, box.Targeting.Mode);
        Assert.Equal(gainAfterSong, box.Gain);
    }

    [Fact]
    public void Ride_QuietSong_MovesTheGainTowardsTheTargetWithinItsRange()
    {
        using var box = new Box("streaming-pop-rock");
        box.Targeting.TargetLufs = -14;
        double start = box.Gain;
        box.Targeting.SetRide(true);

        box.PlayDemo(seconds: 90, gain: 0.25f); // the song 12 dB down: ride must bring it up, but only by its range

        Assert.True(box.Gain > start + 1, $"ride moved the gain from {start} to {box.Gain} dB");
        Assert.InRange(box.Gain, box.Targeting.RideMinimumDb, box.Targeting.RideMaximumDb);
    }

    private sealed class Box : IDisposable
    {
        private readonly AudioEngine _engine;
        private readonly EngineBoxBackend _backend;
        private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
        private readonly float[] _inL = new float[Block], _inR = new float[Block], _outL = new float[Block], _outR = new float[Block];
        private readonly int _gainIndex = ParameterRegistry.Chain.IndexOf(ParameterIds.LoudnessGain);
        private long _block;

        public Box(string preset)
        {
            Assert.True(new PresetLibrary(ParameterRegistry.Chain).TryGetFactory(preset, out Preset values));
            _engine = new AudioEngine(new MasteringChain());
            var controller = new EngineController(_engine, values.Values, 0);
            _engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
            var supervisor = new AudioSupervisor(controller, new SupervisorOptions("gen:silence", new AudioDeviceOptions()), NullLogger.Instance);
            _backend = new EngineBoxBackend(supervisor, controller, new CpuThermometer(Path.Combine(Path.GetTempPath(), "hm-e2e-no-thermal")), _time);
            Targeting = new LoudnessTargeting(_backend, _time);
        }

        public LoudnessTargeting Targeting { get; }

        public double Gain => _backend.Get(_gainIndex);

        public void PlayDemo(double seconds, float gain = 1) => Play(seconds, demo: true, gain, meter: null);

        public void PlaySilence(double seconds) => Play(seconds, demo: false, 1, meter: null);

        public double PlayDemoAndMeasureOutput(double seconds)
        {
            var meter = new ProgramMeter(Rate, 2);
            Play(seconds, demo: true, 1, meter);
            return meter.GetReport().IntegratedLufs ?? double.NaN;
        }

        public void Dispose() => _backend.Dispose();

        // Every pass starts the song from its beginning, as a DJ or a band playing it again would.
        private void Play(double seconds, bool demo, float gain, ProgramMeter? meter)
        {
            long blocks = (long)(seconds * Rate / Block);
            for (long b = 0; b < blocks; b++)
            {
                if (demo)
                {
                    DemoMix.Render(_inL, _inR, b * Block, Rate);
                    for (int i = 0; i < Block; i++)
                    {
                        _inL[i] *= gain;
                        _inR[i] *= gain;
                    }
                }
                else
                {
                    Array.Clear(_inL);
                    Array.Clear(_inR);
                }

                _engine.ProcessBlock(new AudioBuffers(_inL, _inR, _outL, _outR, _block++));
                meter?.Process(_outL, _outR);
                if ((b + 1) % BlocksPerFrame == 0)
                {
                    _time.Advance(TimeSpan.FromMilliseconds(1000.0 * BlocksPerFrame * Block / Rate));
                    Targeting.Update(_backend.ReadMeters());
                }
            }
        }
    }
}
