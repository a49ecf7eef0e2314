using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Box;

/// <summary>Issue 12 item 2 on the box: a learn gives the glue compressor the programme's loudness.</summary>
public class LearnProgrammeLoudnessTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromSeconds(FakeBoxBackend.FrameSeconds);

    private readonly FakeBoxBackend _backend = new();
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(-9.0, 0.0, -9.0)]
    [InlineData(-9.0, -3.0, -12.0)]
    [InlineData(-21.0, 2.5, -18.5)]
    public void FinishLearn_ProgrammeMeasured_SetsInputLoudnessPlusTrimOnTheChain(double inputLufs, double trimDb, double expected)
    {
        var assist = new LoudnessTargeting(_backend, _time) { TargetLufs = -14 };
        _backend["trim.gain"] = trimDb;
        assist.StartLearn();
        Play(assist, inputLufs, 500);
        Assert.True(double.IsNaN(_backend.ProgrammeLoudnessSet), "nothing is set before the learn finishes");

        Assert.True(assist.FinishLearn());

        Assert.Equal(expected, _backend.ProgrammeLoudnessSet, 6);
        Assert.Equal(expected, assist.LearnProgrammeLufs, 6);
    }

    [Fact]
    public void FinishLearn_Silence_LeavesTheProgrammeLoudnessUnset()
    {
        var assist = new LoudnessTargeting(_backend, _time);
        assist.StartLearn();
        Play(assist, double.NegativeInfinity, 500);

        Assert.False(assist.FinishLearn());

        Assert.True(double.IsNaN(_backend.ProgrammeLoudnessSet));
        Assert.True(double.IsNaN(assist.LearnProgrammeLufs));
    }

    private void Play(LoudnessTargeting assist, double lufs, int frames)
    {
        _backend.ProgrammeLufs = lufs;
        for (int i = 0; i < frames; i++)
        {
            _time.Advance(Frame);
            MeterSnapshot meters = _backend.ReadMeters();
            assist.Update(meters);
        }
    }
}
