using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Tests.AudioFiles;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Box;

/// <summary>The assists run once per UI frame: a .NET GC stops the audio thread too, so they must allocate nothing.</summary>
[Collection(nameof(AllocationMeasurements))]
public class BoxAssistAllocationTests
{
    private const int FramesPerRun = 2000;
    private static readonly TimeSpan Frame = TimeSpan.FromSeconds(FakeBoxBackend.FrameSeconds);

    [Fact]
    public void Update_RidingAMovingProgramme_AllocatesNothing()
    {
        var time = new FakeTimeProvider();
        var backend = new FakeBoxBackend { ProgrammeLufs = -20 };
        var assist = new LoudnessTargeting(backend, time) { TargetLufs = -14 };
        assist.SetRide(true);
        int frame = 0;

        long bytes = AllocationProbe.SmallestBytesAllocated(() =>
        {
            // One UI frame: the clock moves, the (allocation-free) fake engine reports, the ride writes the gain.
            for (int i = 0; i < FramesPerRun; i++)
            {
                backend.ProgrammeLufs = -20 + (3 * Math.Sin(frame++ * 0.01));
                time.Advance(Frame);
                MeterSnapshot meters = backend.ReadMeters();
                assist.Update(meters);
            }
        });

        Assert.Equal(0, bytes);
        Assert.Equal(LoudnessAssistMode.Riding, assist.Mode);
        Assert.True(backend.SetCount > 10, $"the ride wrote the gain {backend.SetCount} times: it did not ride");
    }

    [Fact]
    public void Update_LearningAndReminding_AllocatesNothing()
    {
        var time = new FakeTimeProvider();
        var backend = new FakeBoxBackend { ProgrammeLufs = -18 };
        var assist = new LoudnessTargeting(backend, time);
        var reminder = new FatigueReminder(time);
        assist.StartLearn();
        MeterSnapshot meters = backend.ReadMeters();

        long bytes = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < FramesPerRun; i++)
            {
                time.Advance(Frame);
                assist.Update(meters);
                reminder.Update(meters);
            }
        });

        Assert.Equal(0, bytes);
        Assert.Equal(LoudnessAssistMode.Learning, assist.Mode);
        Assert.True(reminder.Listened > TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void ReadingWhatTheScreensShow_AllocatesNothing()
    {
        using var state = new StateDirectory("box-alloc");
        var backend = new FakeBoxBackend();
        var store = new BoxPresetStore(backend, state.Path);
        Assert.True(store.SaveUser(4, "Live FOH"));
        var assist = new LoudnessTargeting(backend, new FakeTimeProvider());
        var reminder = new FatigueReminder(new FakeTimeProvider());
        int seen = 0;

        long bytes = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int frame = 0; frame < FramesPerRun; frame++)
            {
                for (int slot = 0; slot < store.UserSlotCount; slot++)
                {
                    seen += store.UserSlotName(slot)?.Length ?? 0;
                }

                for (int i = 0; i < store.FactoryNames.Count; i++)
                {
                    seen += store.FactoryNames[i].Length;
                }

                seen += (store.CurrentName?.Length ?? 0) + (assist.IsCustomTarget ? 1 : 0) + (int)assist.Mode
                    + (int)assist.TargetLufs + (int)assist.LearnMeasuredSeconds + (reminder.IsDue ? 1 : 0) + (int)reminder.Remaining.TotalSeconds;
            }
        });

        Assert.Equal(0, bytes);
        Assert.True(seen > 0);
    }
}
