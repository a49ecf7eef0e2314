using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Box;

public class FatigueReminderTests
{
    private static readonly MeterSnapshot Music = new() { MomentaryLufs = -14 };
    private static readonly MeterSnapshot Quiet = new() { MomentaryLufs = -65 };
    private static readonly MeterSnapshot Silence = new() { MomentaryLufs = double.NegativeInfinity };

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Update_FortyFourFiftyNineOfSignal_NotDue_FortyFiveMinutes_Due()
    {
        var reminder = new FatigueReminder(_time);

        Play(reminder, Music, TimeSpan.FromMinutes(44) + TimeSpan.FromSeconds(59));
        Assert.False(reminder.IsDue);
        Assert.Equal(TimeSpan.FromSeconds((44 * 60) + 59), reminder.Listened);

        Play(reminder, Music, TimeSpan.FromSeconds(1));
        Assert.True(reminder.IsDue);
        Assert.Equal(TimeSpan.FromMinutes(45), reminder.Listened);
    }

    [Fact]
    public void Update_AtFrameRate_DueAtFortyFiveMinutesOfSignal()
    {
        var reminder = new FatigueReminder(_time);
        var frame = TimeSpan.FromMilliseconds(40);
        int frames = 0;
        while (!reminder.IsDue)
        {
            _time.Advance(frame);
            reminder.Update(Music);
            frames++;
        }

        Assert.Equal(45 * 60 * 25, frames);
    }

    [Fact]
    public void Update_SilenceAndQuietStretches_DoNotCount()
    {
        var reminder = new FatigueReminder(_time);

        Play(reminder, Music, TimeSpan.FromMinutes(30));
        Play(reminder, Silence, TimeSpan.FromMinutes(60));
        Play(reminder, Quiet, TimeSpan.FromMinutes(20));
        Play(reminder, Music, TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.False(reminder.IsDue);
        Assert.Equal(TimeSpan.FromMinutes(45) - TimeSpan.FromSeconds(1), reminder.Listened);

        Play(reminder, Music, TimeSpan.FromSeconds(1));
        Assert.True(reminder.IsDue);
    }

    [Fact]
    public void IsDue_AfterItFires_StaysDueThroughSilenceUntilAcknowledged()
    {
        var reminder = new FatigueReminder(_time);
        Play(reminder, Music, TimeSpan.FromMinutes(45));
        Play(reminder, Silence, TimeSpan.FromMinutes(30));
        Assert.True(reminder.IsDue);

        reminder.Acknowledge();
        Assert.False(reminder.IsDue);
        Assert.Equal(TimeSpan.Zero, reminder.Listened);
    }

    [Fact]
    public void Acknowledge_RestartsTheCount()
    {
        var reminder = new FatigueReminder(_time);
        Play(reminder, Music, TimeSpan.FromMinutes(50));
        Assert.True(reminder.IsDue);

        reminder.Acknowledge();
        Play(reminder, Music, TimeSpan.FromMinutes(44) + TimeSpan.FromSeconds(59));
        Assert.False(reminder.IsDue);
        Play(reminder, Music, TimeSpan.FromSeconds(1));
        Assert.True(reminder.IsDue);
    }

    [Fact]
    public void Interval_Zero_NeverFires()
    {
        var reminder = new FatigueReminder(_time, TimeSpan.Zero);
        Assert.True(reminder.IsOff);

        Play(reminder, Music, TimeSpan.FromHours(10));
        Assert.False(reminder.IsDue);
        Assert.Equal(TimeSpan.Zero, reminder.Remaining);
    }

    [Fact]
    public void Interval_Configured_FiresAtThatListeningTime()
    {
        var reminder = new FatigueReminder(_time, TimeSpan.FromMinutes(20));
        Play(reminder, Music, TimeSpan.FromMinutes(20) - TimeSpan.FromSeconds(1));
        Assert.False(reminder.IsDue);
        Assert.Equal(TimeSpan.FromSeconds(1), reminder.Remaining);

        Play(reminder, Music, TimeSpan.FromSeconds(1));
        Assert.True(reminder.IsDue);

        reminder.Interval = TimeSpan.Zero; // turned off while due
        Assert.False(reminder.IsDue);
    }

    [Fact]
    public void Update_OneLongGapBetweenFrames_CountsAtMostTheLongestFrameInterval()
    {
        var reminder = new FatigueReminder(_time);
        _time.Advance(TimeSpan.FromHours(1)); // the loop stalled, or the machine slept
        reminder.Update(Music);

        Assert.Equal(FatigueReminder.MaxFrameInterval, reminder.Listened);
        Assert.False(reminder.IsDue);
    }

    [Fact]
    public void Interval_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FatigueReminder(_time, TimeSpan.FromSeconds(-1)));
    }

    private void Play(FatigueReminder reminder, MeterSnapshot meters, TimeSpan duration)
    {
        // One update per second (the count does not depend on the frame rate; see the frame-rate test).
        for (long s = 0; s < (long)duration.TotalSeconds; s++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            reminder.Update(meters);
        }
    }
}
