using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Ui;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Box;

public class LoudnessTargetingTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromSeconds(FakeBoxBackend.FrameSeconds);

    private readonly FakeBoxBackend _backend = new();
    private readonly FakeTimeProvider _time = new();

    private double Gain => _backend["loudness.gain"];

    [Theory]
    [InlineData(-14.0, -20.0)]
    [InlineData(-16.0, -9.5)]
    [InlineData(-23.0, -17.0)]
    [InlineData(-24.0, -31.0)]
    public void FinishLearn_AfterOnePass_SecondPassLandsWithinHalfLuOfTarget(double target, double songLufs)
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = target };
        Assert.Equal(target, assist.TargetLufs);
        _backend["loudness.gain"] = 1.5; // whatever the knob says before the first pass

        assist.StartLearn();
        Assert.Equal(LoudnessAssistMode.Learning, assist.Mode);
        PlaySong(assist, songLufs);
        Assert.True(assist.FinishLearn());
        Assert.Equal(LoudnessAssistMode.Learned, assist.Mode);

        _backend.ResetLoudness();
        PlaySong(assist, songLufs);
        Assert.InRange(_backend.IntegratedLufs(), target - 0.5, target + 0.5);
    }

    [Fact]
    public void FinishLearn_LimiterTakesSomeOfTheGain_EachLearnRefinesWithoutOvershootAndConverges()
    {
        // Above -12 LUFS the limiter gives back only half of each dB: one learn undershoots, and learning again must
        // add what is missing (not the whole difference again), so each pass gets closer from the same side.
        _backend.LimiterKneeLufs = -12;
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -9 };
        double previousMiss = double.PositiveInfinity;
        double miss = double.NaN;
        for (int pass = 0; pass < 5; pass++)
        {
            assist.StartLearn();
            PlaySong(assist, -24);
            miss = assist.TargetLufs - assist.LearnMeasuredLufs;
            Assert.True(miss >= -0.01, $"pass {pass} overshot the target by {-miss:0.00} LU");
            Assert.True(miss < previousMiss, $"pass {pass} missed by {miss:0.00} LU after {previousMiss:0.00}");
            previousMiss = miss;
            Assert.True(assist.FinishLearn());
        }

        Assert.InRange(miss, 0, 0.5);
    }

    [Fact]
    public void FinishLearn_Silence_ReturnsFalseAndKeepsTheGain()
    {
        var assist = new LoudnessTargeting(_backend, _time);
        _backend["loudness.gain"] = 2;
        assist.StartLearn();
        _backend.ProgrammeLufs = double.NegativeInfinity;
        Frames(assist, 500);

        Assert.False(assist.FinishLearn());
        Assert.Equal(2, Gain);
        Assert.Equal(LoudnessAssistMode.Manual, assist.Mode);
    }

    [Fact]
    public void FinishLearn_DifferenceBeyondTheRange_IsBoundedToTheRegistryRange()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -5 };
        assist.StartLearn();
        _backend.ProgrammeLufs = -60;
        Frames(assist, 500);

        Assert.True(assist.FinishLearn());
        Assert.Equal(_backend.Registry["loudness.gain"].Maximum, Gain);
    }

    [Fact]
    public void StartLearn_MetersStillShowThePreviousProgramme_LearnsOnlyFromAfterTheReset()
    {
        _backend.ProgrammeLufs = -6; // a long loud stretch before learn
        Frames(null, 3000);
        _backend.ResetDelayFrames = 3; // the engine applies the reset a few frames later
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };

        assist.StartLearn();
        _backend.ProgrammeLufs = -20;
        Frames(assist, 2);
        Assert.True(double.IsNaN(assist.LearnMeasuredLufs), $"took {assist.LearnMeasuredLufs} from before the reset");
        Frames(assist, 1500);
        Assert.True(assist.FinishLearn());

        Assert.InRange(Gain, 6 - 0.02, 6 + 0.02); // the fake's histogram has 0.01 LU bins
    }

    [Fact]
    public void StartLearn_AudioRunsFasterThanTheClock_LearnsTheWholePass()
    {
        // A simulation feeding audio ten times faster than real time: the reported seconds outrun the clock.
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend.ProgrammeLufs = -6;
        Frames(assist, 3000, Frame / 10);
        _backend.ResetDelayFrames = 3;

        assist.StartLearn();
        _backend.ProgrammeLufs = -20;
        Frames(assist, 2, Frame / 10);
        Assert.True(double.IsNaN(assist.LearnMeasuredLufs), $"took {assist.LearnMeasuredLufs} from before the reset");
        Frames(assist, 500, Frame / 10);
        _backend.ProgrammeLufs = -10; // the song gets louder: the learn must hear all of it, not stop after a second
        Frames(assist, 1000, Frame / 10);
        double integrated = _backend.IntegratedLufs();
        Assert.Equal(integrated, assist.LearnMeasuredLufs, 6);
        Assert.True(assist.FinishLearn());

        Assert.Equal(-14 - integrated, Gain, 6);
    }

    [Fact]
    public void Update_GainTurnedByHandWhileLearning_RestartsTheMeasurement()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        assist.StartLearn();
        _backend.ProgrammeLufs = -30;
        Frames(assist, 1000);
        _backend["loudness.gain"] = 10; // a hand on the knob half-way
        _backend.ProgrammeLufs = -20;
        Frames(assist, 1000);

        Assert.Equal(2, _backend.ResetCount);
        Assert.True(assist.FinishLearn());
        Assert.InRange(_backend.OutputLufs(), -14 - 0.02, -14 + 0.02);
    }

    [Fact]
    public void TargetLufs_Choices_AreTheFourStandardsAndAnythingElseIsCustom()
    {
        var assist = new LoudnessTargeting(_backend, _time);
        Assert.Equal([-14.0, -16.0, -23.0, -24.0], LoudnessTargeting.TargetChoicesLufs);
        foreach (double choice in LoudnessTargeting.TargetChoicesLufs)
        {
            assist.TargetLufs = choice;
            Assert.Equal(choice, _backend["target.lufs"]);
            Assert.False(assist.IsCustomTarget);
        }

        assist.TargetLufs = -11.5;
        Assert.Equal(-11.5, _backend["target.lufs"]);
        Assert.True(assist.IsCustomTarget);
    }

    [Fact]
    public void Ride_ProgrammeBelowTarget_ConvergesSlowlyAndStaysWithinRange()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend.ProgrammeLufs = -18.5;
        Frames(null, 100);
        assist.SetRide(true);
        Assert.Equal(LoudnessAssistMode.Riding, assist.Mode);

        var gains = new List<double>();
        for (int frame = 0; frame < 25 * 120; frame++)
        {
            Frames(assist, 1);
            gains.Add(Gain);
            Assert.InRange(Gain, assist.RideMinimumDb, assist.RideMaximumDb);
        }

        // Slow: over any 4 s the gain moves at most 1 dB (plus one write step).
        for (int i = 100; i < gains.Count; i++)
        {
            Assert.True(Math.Abs(gains[i] - gains[i - 100]) <= 1.0 + assist.RideWriteStepDb, $"moved {gains[i] - gains[i - 100]:0.00} dB in 4 s at frame {i}");
        }

        Assert.InRange(_backend.OutputLufs(), -14 - 0.6, -14 + 0.6);
        Assert.InRange(Gain, 3.9, 5.1);
    }

    [Fact]
    public void Ride_ProgrammeFarBelowTarget_StopsAtItsBound()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend["loudness.gain"] = -1;
        _backend.ProgrammeLufs = -30; // 16 LU short: inside the gate, beyond the ±6 dB range
        assist.SetRide(true);
        for (int frame = 0; frame < 25 * 300; frame++)
        {
            Frames(assist, 1);
            Assert.InRange(Gain, -7, 5);
        }

        Assert.Equal(5, Gain, 9);
        Assert.Equal(5, assist.RideMaximumDb);
    }

    [Fact]
    public void Ride_LongSilenceAndQuietStretches_HoldTheGainExactly()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend.ProgrammeLufs = -17;
        assist.SetRide(true);
        Frames(assist, 25 * 90);
        double settled = Gain;
        Assert.NotEqual(0, settled);
        int sets = _backend.SetCount;

        _backend.ProgrammeLufs = double.NegativeInfinity; // ten minutes between songs
        Frames(assist, 25 * 600);
        Assert.Equal(settled, Gain);
        Assert.True(assist.IsHolding);

        _backend.ProgrammeLufs = -50; // room noise, below the gate
        Frames(assist, 25 * 120);
        Assert.Equal(settled, Gain);

        _backend.ProgrammeLufs = -17; // the next song: the short-term window first refills with it
        Frames(assist, (int)(25 * LoudnessTargeting.ShortTermWindowSeconds) - 1);
        Assert.Equal(settled, Gain);
        Assert.Equal(sets, _backend.SetCount);
    }

    [Fact]
    public void Ride_SongEndsAndStartsAgain_DoesNotPump()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend.ProgrammeLufs = -14.2;
        assist.SetRide(true);
        Frames(assist, 25 * 60);
        double before = Gain;

        for (int song = 0; song < 5; song++)
        {
            _backend.ProgrammeLufs = double.NegativeInfinity;
            Frames(assist, 25 * 5);
            _backend.ProgrammeLufs = -14.2;
            Frames(assist, 25 * 30);
        }

        Assert.Equal(before, Gain); // inside the dead band all along: not a single write
    }

    [Fact]
    public void Ride_FluctuatingProgramme_KeepsTheGainSteady()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        assist.SetRide(true);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int frame = 0; frame < 25 * 240; frame++)
        {
            _backend.ProgrammeLufs = (frame / 12 % 2 == 0) ? -10 : -22; // beats of about half a second, ~-13 LUFS short-term
            Frames(assist, 1);
            if (frame > 25 * 120)
            {
                min = Math.Min(min, Gain);
                max = Math.Max(max, Gain);
            }
        }

        Assert.True(max - min <= 0.5, $"gain moved {max - min:0.00} dB peak to peak on a steady beat");
    }

    [Fact]
    public void Ride_KnobTurnedWhileRiding_RecentresTheRangeOnTheKnob()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend.ProgrammeLufs = -40 + 20; // -20
        assist.SetRide(true);
        Frames(assist, 25 * 10);
        _backend["loudness.gain"] = -10;
        Frames(assist, 1);

        Assert.Equal(-16, assist.RideMinimumDb);
        Assert.Equal(-4, assist.RideMaximumDb);
        Frames(assist, 25 * 300);
        Assert.Equal(-4, Gain, 9);
    }

    [Fact]
    public void Ride_GlobalBypassIn_Holds()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend.ProgrammeLufs = -20;
        _backend.GlobalBypass = true;
        assist.SetRide(true);
        Frames(assist, 25 * 60);

        Assert.Equal(0, Gain);
        Assert.True(assist.IsHolding);
    }

    [Fact]
    public void Cancel_WhileRiding_LeavesTheGainWhereItIs()
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend.ProgrammeLufs = -20;
        assist.SetRide(true);
        Frames(assist, 25 * 30);
        double gain = Gain;
        Assert.True(gain > 1);

        assist.Cancel();
        Frames(assist, 25 * 30);
        Assert.Equal(LoudnessAssistMode.Manual, assist.Mode);
        Assert.Equal(gain, Gain);
    }

    private void PlaySong(LoudnessTargeting assist, double songLufs)
    {
        // Three minutes of a song with a quiet intro, verses, louder choruses and a fade, around songLufs.
        for (int frame = 0; frame < 25 * 180; frame++)
        {
            double seconds = frame * FakeBoxBackend.FrameSeconds;
            _backend.ProgrammeLufs = seconds switch
            {
                < 10 => songLufs - 12,
                < 170 => songLufs + (((int)(seconds / 20) % 2 == 0) ? -2 : 2) + Math.Sin(seconds * 3),
                _ => songLufs - ((seconds - 170) * 8),
            };
            Frames(assist, 1);
        }

        _backend.ProgrammeLufs = double.NegativeInfinity;
    }

    private void Frames(LoudnessTargeting? assist, int count, TimeSpan? frame = null)
    {
        for (int i = 0; i < count; i++)
        {
            _time.Advance(frame ?? Frame);
            MeterSnapshot meters = _backend.ReadMeters();
            assist?.Update(meters);
        }
    }
}
