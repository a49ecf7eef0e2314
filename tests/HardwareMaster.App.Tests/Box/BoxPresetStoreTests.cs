using HardwareMaster.App.Box;
using HardwareMaster.App.Presets;

namespace HardwareMaster.App.Tests.Box;

public sealed class BoxPresetStoreTests : IDisposable
{
    private readonly StateDirectory _state = new("box");
    private readonly FakeBoxBackend _backend = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public void SaveUser_ThenAFreshStore_RecallsEveryParameterUnderTheSlotsName()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        Assert.Equal(8, store.UserSlotCount);
        Assert.Null(store.UserSlotName(2));
        PresetGenerations.Set(_backend, 17);
        _backend["comp.ratio"] = 3.5;
        _backend["width.monobass"] = 1;

        Assert.True(store.SaveUser(2));
        Assert.Null(store.LastProblem);
        Assert.Equal("User 3", store.UserSlotName(2));
        Assert.Equal("User 3", store.CurrentName);
        Assert.True(File.Exists(Path.Combine(_state.Path, "user3.json")));

        var other = new FakeBoxBackend();
        var fresh = new BoxPresetStore(other, _state.Path);
        Assert.Equal("User 3", fresh.UserSlotName(2));
        Assert.Null(fresh.UserSlotName(0));
        Assert.True(fresh.RecallUser(2));
        for (int i = 0; i < _backend.Registry.Count; i++)
        {
            Assert.Equal(Math.Round(_backend.Get(i), 6), other.Get(i), 9);
        }

        Assert.Equal("User 3", fresh.CurrentName);
    }

    [Fact]
    public void SaveUser_WithAName_KeepsTheNameOnLaterSaves()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        Assert.True(store.SaveUser(0, "Live FOH"));
        PresetGenerations.Set(_backend, 3);
        Assert.True(store.SaveUser(0));

        Assert.Equal("Live FOH", new BoxPresetStore(new FakeBoxBackend(), _state.Path).UserSlotName(0));
        Assert.False(store.SaveUser(0, "bad\nname"));
        Assert.Contains("name", store.LastProblem, StringComparison.Ordinal);
        Assert.False(store.SaveUser(8));
        Assert.NotNull(store.LastProblem);
    }

    [Fact]
    public void RecallFactory_SetsEachChangedParameterInRegistryOrder()
    {
        var library = new PresetLibrary(_backend.Registry);
        var store = new BoxPresetStore(_backend, _state.Path, library);
        Assert.Equal(library.Factory.Select(p => p.Name), store.FactoryNames);
        int index = store.FactoryNames.ToList().IndexOf("edm-club");
        Preset edm = library.Factory[index];

        _backend.RecordSets = true;
        Assert.True(store.RecallFactory(index));

        Assert.NotEmpty(_backend.SetOrder);
        Assert.Equal(_backend.SetOrder.Order(), _backend.SetOrder);
        for (int i = 0; i < _backend.Registry.Count; i++)
        {
            Assert.Equal(edm.Values.Get(i), _backend.Get(i));
        }

        Assert.Equal("edm-club", store.CurrentName);
        Assert.False(store.RecallFactory(store.FactoryNames.Count));
        Assert.NotNull(store.LastProblem);
    }

    [Fact]
    public void RecallUser_StageBypassSwitches_AreAsThePresetSays()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        _backend["comp.bypass"] = 1;
        _backend["limiter.bypass"] = 1;
        Assert.True(store.SaveUser(0));
        _backend["comp.bypass"] = 0;
        _backend["limiter.bypass"] = 0;
        _backend["eq.bypass"] = 1;
        Assert.True(store.SaveUser(1));
        _backend.GlobalBypass = true;

        Assert.True(store.RecallUser(0));
        Assert.Equal((0.0, 1.0, 1.0), (_backend["eq.bypass"], _backend["comp.bypass"], _backend["limiter.bypass"]));
        Assert.True(store.RecallUser(1));
        Assert.Equal((1.0, 0.0, 0.0), (_backend["eq.bypass"], _backend["comp.bypass"], _backend["limiter.bypass"]));
        Assert.True(_backend.GlobalBypass); // not part of a preset
    }

    [Fact]
    public void RecallUser_EmptySlot_ReturnsFalseAndSaysSo()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 5);

        Assert.False(store.RecallUser(3));
        Assert.Equal("user slot 4 is empty", store.LastProblem);
        Assert.Equal(5, PresetGenerations.Of(_backend));
    }

    [Fact]
    public void RecallUser_ChainRefusesAValue_AppliesTheRestAndNamesTheRefusedId()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 9);
        Assert.True(store.SaveUser(0));
        PresetGenerations.Set(_backend, 1);
        _backend.Refused.Add(_backend.Registry.IndexOf("eq.bell2.gain"));

        Assert.False(store.RecallUser(0));

        Assert.Contains("eq.bell2.gain", store.LastProblem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', store.LastProblem!);
        Assert.Equal(-12 + 0.9, _backend["eq.bell1.gain"], 9);
    }

    [Fact]
    public void SaveState_ThenLoadState_RestoresParametersAndTheCurrentName()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        Assert.False(store.LoadState()); // first boot
        Assert.Null(store.LastProblem);
        Assert.True(store.RecallFactory(0));
        PresetGenerations.Set(_backend, 42);
        Assert.True(store.SaveState());

        var other = new FakeBoxBackend();
        var fresh = new BoxPresetStore(other, _state.Path);
        Assert.True(fresh.LoadState());
        Assert.Equal(42, PresetGenerations.Of(other));
        Assert.Equal(store.FactoryNames[0], fresh.CurrentName);

        var defaults = new BoxPresetStore(new FakeBoxBackend(), Path.Combine(_state.Path, "second"));
        Assert.True(defaults.SaveState());
        var reloaded = new BoxPresetStore(new FakeBoxBackend(), Path.Combine(_state.Path, "second"));
        Assert.True(reloaded.LoadState());
        Assert.Null(reloaded.CurrentName);
    }

    [Fact]
    public void SaveState_Unchanged_DoesNotRewriteTheFile()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        int commits = 0;
        GenerationalFile.StepHook.Value = (_, step) => commits += step == SaveStep.CommitFlushed ? 1 : 0;
        try
        {
            Assert.True(store.SaveState());
            Assert.True(store.SaveState());
            PresetGenerations.Set(_backend, 2);
            Assert.True(store.SaveState());
            Assert.True(store.SaveState());
        }
        finally
        {
            GenerationalFile.StepHook.Value = null;
        }

        Assert.Equal(2, commits);
    }

    [Fact]
    public void RecallUser_CorruptCurrentCopy_UsesThePreviousCopyAndReportsItInOneLine()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 1);
        Assert.True(store.SaveUser(4));
        PresetGenerations.Set(_backend, 2);
        Assert.True(store.SaveUser(4));
        string current = Path.Combine(_state.Path, "user5.json");
        File.WriteAllText(current, "{\"schema\":1,\"name\":\"User 5\",\"parame");

        int? loaded = PresetGenerations.LoadSlot(_state.Path, 4, out string? problem);

        Assert.Equal(1, loaded);
        Assert.NotNull(problem);
        Assert.DoesNotContain('\n', problem);
        Assert.Contains(current + " is corrupt", problem, StringComparison.Ordinal);
        Assert.Contains("using the previous copy " + current + ".prev", problem, StringComparison.Ordinal);
        Assert.Equal("User 5", new BoxPresetStore(new FakeBoxBackend(), _state.Path).UserSlotName(4));
    }

    [Fact]
    public void RecallUser_CurrentCopyTruncatedAtEveryLength_UsesThePreviousCopy()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 10);
        Assert.True(store.SaveUser(0));
        PresetGenerations.Set(_backend, 11);
        Assert.True(store.SaveUser(0));
        string current = Path.Combine(_state.Path, "user1.json");
        byte[] good = File.ReadAllBytes(current);

        var readerBackend = new FakeBoxBackend();
        var reader = new BoxPresetStore(readerBackend, _state.Path);
        for (int length = 0; length < good.Length; length++)
        {
            File.WriteAllBytes(current, good.AsSpan(0, length).ToArray());
            PresetGenerations.Set(readerBackend, 120);
            Assert.True(reader.RecallUser(0), $"truncated to {length} bytes: {reader.LastProblem}");
            Assert.Equal(10, PresetGenerations.Of(readerBackend));
            Assert.Contains("using the previous copy", reader.LastProblem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("zeros")]
    [InlineData("random")]
    [InlineData("not-a-preset")]
    [InlineData("out-of-range")]
    [InlineData("directory")]
    public void RecallUser_GarbageCurrentCopy_UsesThePreviousCopy(string kind)
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 30);
        Assert.True(store.SaveUser(6));
        PresetGenerations.Set(_backend, 31);
        Assert.True(store.SaveUser(6));
        string current = Path.Combine(_state.Path, "user7.json");
        int size = (int)new FileInfo(current).Length;
        File.Delete(current);
        switch (kind)
        {
            case "zeros": // what a power cut can leave on some file systems: the size, but not the data
                File.WriteAllBytes(current, new byte[size]);
                break;
            case "random":
                File.WriteAllBytes(current, RandomBytes(size, 7));
                break;
            case "not-a-preset":
                File.WriteAllText(current, "{\"hello\": [1, 2, 3]}");
                break;
            case "out-of-range":
                File.WriteAllText(current, "{\"schema\":1,\"name\":\"User 7\",\"parameters\":{\"comp.ratio\":99}}");
                break;
            case "directory":
                Directory.CreateDirectory(current);
                break;
        }

        int? loaded = PresetGenerations.LoadSlot(_state.Path, 6, out string? problem);

        Assert.Equal(30, loaded);
        Assert.Contains("using the previous copy", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem!);
    }

    [Fact]
    public void RecallUser_CorruptPreviousCopyOnly_UsesTheCurrentCopyQuietly()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 50);
        Assert.True(store.SaveUser(1));
        PresetGenerations.Set(_backend, 51);
        Assert.True(store.SaveUser(1));
        File.WriteAllBytes(Path.Combine(_state.Path, "user2.json.prev"), RandomBytes(900, 3));

        Assert.Equal(51, PresetGenerations.LoadSlot(_state.Path, 1, out string? problem));
        Assert.Null(problem);
    }

    [Fact]
    public void RecallUser_BothCopiesCorrupt_ReturnsFalseAndNamesBoth()
    {
        File.WriteAllText(Path.Combine(_state.Path, "user2.json"), "{");
        File.WriteAllText(Path.Combine(_state.Path, "user2.json.prev"), "garbage");

        var store = new BoxPresetStore(_backend, _state.Path);
        Assert.Contains("user slot 2", store.LastProblem, StringComparison.Ordinal);
        PresetGenerations.Set(_backend, 60);

        Assert.False(store.RecallUser(1));
        Assert.Equal(60, PresetGenerations.Of(_backend));
        Assert.Contains("user2.json is corrupt", store.LastProblem, StringComparison.Ordinal);
        Assert.Contains("user2.json.prev is corrupt", store.LastProblem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', store.LastProblem!);
    }

    [Fact]
    public void SaveUser_CorruptCurrentCopy_DoesNotPushOutTheGoodPreviousCopy()
    {
        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 70);
        Assert.True(store.SaveUser(0));
        PresetGenerations.Set(_backend, 71);
        Assert.True(store.SaveUser(0));
        File.WriteAllText(Path.Combine(_state.Path, "user1.json"), "{ torn");

        PresetGenerations.Set(_backend, 72);
        Assert.True(store.SaveUser(0));

        Assert.Equal(72, PresetGenerations.LoadSlot(_state.Path, 0, out _));
        File.Delete(Path.Combine(_state.Path, "user1.json"));
        Assert.Equal(70, PresetGenerations.LoadSlot(_state.Path, 0, out _)); // 70 is still there as the previous copy
    }

    [Fact]
    public void SaveUser_StateDirectoryIsAFile_ReturnsFalseWithOneLineAndKeepsNothingHalfDone()
    {
        string notADirectory = Path.Combine(_state.Path, "state-file");
        File.WriteAllText(notADirectory, "x");
        var store = new BoxPresetStore(_backend, notADirectory);

        Assert.False(store.SaveUser(0));
        Assert.StartsWith("user slot 1: ", store.LastProblem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', store.LastProblem!);
        Assert.False(store.SaveState());
        Assert.Equal("x", File.ReadAllText(notADirectory));
    }

    [Fact]
    public void SaveUser_SlotPathIsADirectory_ReturnsFalseNamingThePath()
    {
        Directory.CreateDirectory(Path.Combine(_state.Path, "user4.json"));
        var store = new BoxPresetStore(_backend, _state.Path);

        Assert.False(store.SaveUser(3));
        Assert.Contains(Path.Combine(_state.Path, "user4.json"), store.LastProblem, StringComparison.Ordinal);
        Assert.DoesNotContain(".part", store.LastProblem, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_state.Path, ".*"));
    }

    [Fact]
    public void SaveUser_ReadOnlyDirectory_ReturnsFalseAndLeavesNoTemporaryFile()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            return; // no POSIX modes, or root writes anyway: nothing to test
        }

        var store = new BoxPresetStore(_backend, _state.Path);
        PresetGenerations.Set(_backend, 80);
        Assert.True(store.SaveUser(0));
        File.SetUnixFileMode(_state.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            PresetGenerations.Set(_backend, 81);
            Assert.False(store.SaveUser(0));
            Assert.StartsWith("user slot 1: cannot save ", store.LastProblem, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(_state.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Assert.Equal(80, PresetGenerations.LoadSlot(_state.Path, 0, out _));
        Assert.Empty(Directory.GetFiles(_state.Path, ".*"));
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        byte[] bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
