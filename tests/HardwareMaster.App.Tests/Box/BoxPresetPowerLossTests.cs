using HardwareMaster.App.Box;

namespace HardwareMaster.App.Tests.Box;

/// <summary>
/// A save interrupted after every step of its write sequence (and from every starting state of the two copies) must
/// leave a directory from which a fresh store loads the old preset or the new one: never nothing (when there was an
/// old one) and never garbage. The crash is simulated by throwing from <see cref="GenerationalFile.StepHook"/>: the
/// writer's clean-up does not run (only I/O errors are cleaned up), so the files are exactly as the step left them.
/// </summary>
/// <remarks>
/// A power cut can also undo a rename that was not yet flushed (directory fsync); the state that leaves is the state
/// after the step before it (<see cref="SaveStep.TempFlushed"/> for <see cref="SaveStep.Rotated"/>,
/// <see cref="SaveStep.RotationFlushed"/> for <see cref="SaveStep.Committed"/>), which is itself one of the cases here.
/// Data not yet flushed in the temporary file is irrelevant: reading never looks at temporary files.
/// </remarks>
public sealed class BoxPresetPowerLossTests : IDisposable
{
    private const int OldGeneration = 3;
    private const int NewGeneration = 4;
    private const int Slot = 2;

    private readonly StateDirectory _state = new("box-cut");

    /// <summary>How the two copies stand before the interrupted save.</summary>
    public enum Before
    {
        /// <summary>Nothing saved yet.</summary>
        Empty,

        /// <summary>One good copy (old), no previous copy.</summary>
        OneGood,

        /// <summary>Two good copies: old, and an older one as previous.</summary>
        TwoGood,

        /// <summary>A corrupt current copy, the old one as previous.</summary>
        CorruptCurrent,

        /// <summary>No current copy (an earlier save interrupted between its renames), the old one as previous.</summary>
        InterruptedEarlier,
    }

    public static TheoryData<SaveStep, Before> Cases()
    {
        var data = new TheoryData<SaveStep, Before>();
        foreach (SaveStep step in Enum.GetValues<SaveStep>())
        {
            foreach (Before before in Enum.GetValues<Before>())
            {
                data.Add(step, before);
            }
        }

        return data;
    }

    public void Dispose()
    {
        GenerationalFile.StepHook.Value = null;
        _state.Dispose();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SaveUser_PowerCutAfterStep_FreshStoreLoadsTheOldOrTheNewPresetNeverNothingOrGarbage(SaveStep step, Before before)
    {
        Prepare(before);
        var backend = new FakeBoxBackend();
        var store = new BoxPresetStore(backend, _state.Path);
        PresetGenerations.Set(backend, NewGeneration);

        bool cut = SaveWithPowerCutAfter(step, () => store.SaveUser(Slot));

        int? loaded = PresetGenerations.LoadSlot(_state.Path, Slot, out string? problem);
        bool committed = !cut || step >= SaveStep.Committed;
        int? expected = committed ? NewGeneration : before == Before.Empty ? null : OldGeneration;
        Assert.True(expected == loaded, $"cut after {step} (reached: {cut}) from {before}: loaded {loaded?.ToString() ?? "nothing"} ({problem}), expected {expected?.ToString() ?? "nothing"}");
        if (problem is not null)
        {
            Assert.DoesNotContain('\n', problem);
            Assert.DoesNotContain(".part", problem, StringComparison.Ordinal);
        }

        // The box comes back and saves again: that save works and the two copies are good ones again.
        var after = new FakeBoxBackend();
        var next = new BoxPresetStore(after, _state.Path);
        PresetGenerations.Set(after, NewGeneration + 1);
        Assert.True(next.SaveUser(Slot), next.LastProblem);
        Assert.Equal(NewGeneration + 1, PresetGenerations.LoadSlot(_state.Path, Slot, out _));
        File.Delete(Path.Combine(_state.Path, "user3.json"));
        int? previous = PresetGenerations.LoadSlot(_state.Path, Slot, out _);
        Assert.True(previous == expected || (previous is null && expected is null), $"previous copy after the next save: {previous}, expected {expected}");
    }

    [Theory]
    [InlineData(SaveStep.TempPartlyWritten)]
    [InlineData(SaveStep.TempFlushed)]
    [InlineData(SaveStep.Rotated)]
    [InlineData(SaveStep.RotationFlushed)]
    [InlineData(SaveStep.Committed)]
    public void SaveState_PowerCutAfterStep_LoadStateRestoresTheOldOrTheNewState(SaveStep step)
    {
        var backend = new FakeBoxBackend();
        var store = new BoxPresetStore(backend, _state.Path);
        PresetGenerations.Set(backend, OldGeneration);
        Assert.True(store.SaveState());
        PresetGenerations.Set(backend, NewGeneration);

        Assert.True(SaveWithPowerCutAfter(step, () => store.SaveState()));

        int? loaded = PresetGenerations.LoadState(_state.Path, out string? problem);
        Assert.Equal(step >= SaveStep.Committed ? NewGeneration : OldGeneration, loaded);
        if (step is SaveStep.Rotated or SaveStep.RotationFlushed)
        {
            Assert.Contains("state.json is missing (a save was interrupted); using the previous copy", problem, StringComparison.Ordinal);
        }
    }

    // Runs the save with a simulated power cut right after `step`; false when the save never reached that step (it then completed).
    private static bool SaveWithPowerCutAfter(SaveStep step, Func<bool> save)
    {
        GenerationalFile.StepHook.Value = (_, reached) =>
        {
            if (reached == step)
            {
                throw new PowerCut();
            }
        };
        try
        {
            Assert.True(save());
            return false;
        }
        catch (PowerCut)
        {
            return true;
        }
        finally
        {
            GenerationalFile.StepHook.Value = null;
        }
    }

    private void Prepare(Before before)
    {
        var backend = new FakeBoxBackend();
        var store = new BoxPresetStore(backend, _state.Path);
        string current = Path.Combine(_state.Path, "user3.json");
        switch (before)
        {
            case Before.Empty:
                return;
            case Before.OneGood:
                PresetGenerations.Set(backend, OldGeneration);
                Assert.True(store.SaveUser(Slot));
                break;
            case Before.TwoGood:
                PresetGenerations.Set(backend, OldGeneration - 1);
                Assert.True(store.SaveUser(Slot));
                PresetGenerations.Set(backend, OldGeneration);
                Assert.True(store.SaveUser(Slot));
                break;
            case Before.CorruptCurrent:
                PresetGenerations.Set(backend, OldGeneration);
                Assert.True(store.SaveUser(Slot));
                PresetGenerations.Set(backend, OldGeneration + 100);
                Assert.True(store.SaveUser(Slot));
                File.WriteAllBytes(current, File.ReadAllBytes(current).AsSpan(0, 200).ToArray());
                break;
            case Before.InterruptedEarlier:
                PresetGenerations.Set(backend, OldGeneration);
                Assert.True(store.SaveUser(Slot));
                File.Move(current, current + ".prev");
                break;
        }

        Assert.Equal(OldGeneration, PresetGenerations.LoadSlot(_state.Path, Slot, out _));
    }

    private sealed class PowerCut : Exception
    {
    }
}
