using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>An engine side over a real <see cref="ParameterSet"/> with settable meters and system state; allocation-free.</summary>
internal sealed class FakeBoxBackend : IBoxBackend
{
    public FakeBoxBackend(ParameterRegistry? registry = null)
    {
        Parameters = new ParameterSet(registry ?? ParameterRegistry.Chain);
    }

    public ParameterSet Parameters { get; }

    public ParameterRegistry Registry => Parameters.Registry;

    public bool GlobalBypass { get; set; }

    public MeterSnapshot Meters { get; set; } = FixedMeters();

    public SystemStatus System { get; set; } = FixedSystem();

    /// <summary>When true every <see cref="TrySet"/> is refused.</summary>
    public bool Refuse { get; set; }

    public int SetCount { get; private set; }

    public int LastSetIndex { get; private set; } = -1;

    public int ResetCount { get; private set; }

    public int MeterReads { get; private set; }

    public double Get(int index) => Parameters.Get(index);

    public double Get(string id) => Parameters[id];

    public bool TrySet(int index, double value)
    {
        if (Refuse)
        {
            return false;
        }

        ParameterDefinition definition = Registry.All[index];
        Parameters.Set(definition.Id, definition.Clamp(value));
        SetCount++;
        LastSetIndex = index;
        return true;
    }

    public MeterSnapshot ReadMeters()
    {
        MeterReads++;
        return Meters;
    }

    public SystemStatus ReadSystem() => System;

    public void ResetLoudness() => ResetCount++;

    /// <summary>Fixed meter values for the golden screens: a loud pop master a little over target.</summary>
    public static MeterSnapshot FixedMeters() => new()
    {
        InputPeakLeftDbfs = -6.1,
        InputPeakRightDbfs = -7.0,
        OutputPeakLeftDbfs = -1.2,
        OutputPeakRightDbfs = -1.4,
        TruePeakDbtp = -1.1,
        TruePeakMaxDbtp = -1.0,
        MomentaryLufs = -13.9,
        ShortTermLufs = -13.7,
        IntegratedLufs = -14.2,
        LoudnessRangeLu = 6.3,
        PlrDb = 13.2,
        InputMomentaryLufs = -18.4,
        InputShortTermLufs = -18.9,
        InputIntegratedLufs = -19.3,
        Correlation = 0.62,
        CompressorReductionDb = 1.8,
        LimiterReductionDb = 0.6,
        GlobalBypass = false,
        BypassMatchDb = -4.6,
        CpuPercent = 3,
        Blocks = 100_000,
        DeadlineMisses = 0,
        LoudnessSeconds = 192,
    };

    public static SystemStatus FixedSystem() =>
        new(48000, 64, 2.9, 0, 3.2, 5.1, 48.3, new TimeSpan(2, 3, 12, 5), "running");
}

internal sealed class FakeBoxPresets : IBoxPresets
{
    private readonly string?[] _slots = new string?[8];

    public FakeBoxPresets()
    {
        _slots[0] = "live A";
        _slots[2] = "vinyl";
    }

    public IReadOnlyList<string> FactoryNames { get; } = ["default", "streaming", "broadcast", "gentle", "loud"];

    public int UserSlotCount => _slots.Length;

    public string? CurrentName { get; private set; } = "streaming";

    public string? LastProblem { get; set; }

    public int LastFactoryRecalled { get; private set; } = -1;

    public int LastUserRecalled { get; private set; } = -1;

    public int LastSaved { get; private set; } = -1;

    public int SaveCount { get; private set; }

    public string? UserSlotName(int slot) => _slots[slot];

    public bool RecallFactory(int index)
    {
        LastFactoryRecalled = index;
        CurrentName = FactoryNames[index];
        return true;
    }

    public bool RecallUser(int slot)
    {
        if (_slots[slot] is null)
        {
            return false;
        }

        LastUserRecalled = slot;
        CurrentName = _slots[slot];
        return true;
    }

    public bool SaveUser(int slot)
    {
        LastSaved = slot;
        SaveCount++;
        _slots[slot] ??= "saved";
        return true;
    }
}

internal sealed class FakeTargeting : ILoudnessTargeting
{
    public double TargetLufs { get; set; } = -14;

    public LoudnessAssistMode Mode { get; private set; }

    public int Updates { get; private set; }

    public bool LearnResult { get; set; } = true;

    public void StartLearn() => Mode = LoudnessAssistMode.Learning;

    public bool FinishLearn()
    {
        Mode = LearnResult ? LoudnessAssistMode.Learned : LoudnessAssistMode.Manual;
        return LearnResult;
    }

    public void SetRide(bool on) => Mode = on ? LoudnessAssistMode.Riding : LoudnessAssistMode.Manual;

    public void Cancel() => Mode = LoudnessAssistMode.Manual;

    public void Update(in MeterSnapshot meters) => Updates++;
}

internal sealed class FakeFatigue : IFatigueReminder
{
    public bool IsDue { get; set; }

    public TimeSpan Listened { get; set; } = TimeSpan.FromMinutes(45);

    public int Acknowledged { get; private set; }

    public int Updates { get; private set; }

    public void Acknowledge()
    {
        IsDue = false;
        Acknowledged++;
    }

    public void Update(in MeterSnapshot meters) => Updates++;
}

/// <summary>A face with every service, on a fake clock.</summary>
internal sealed class FaceRig
{
    public FaceRig(BoxLayout? layout = null, bool services = true, Func<double, double>? eq = null)
    {
        Backend = new FakeBoxBackend();
        Presets = services ? new FakeBoxPresets() : null;
        Targeting = services ? new FakeTargeting() : null;
        Fatigue = services ? new FakeFatigue() : null;
        Face = new BoxFace(Backend, Time, Presets, Targeting, Fatigue, layout, eq);
    }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));

    public FakeBoxBackend Backend { get; }

    public FakeBoxPresets? Presets { get; }

    public FakeTargeting? Targeting { get; }

    public FakeFatigue? Fatigue { get; }

    public BoxFace Face { get; }

    public void Send(BoxControl control, BoxAction action, int count = 1) => Face.Handle(new BoxInput(control, action, count));

    public void Turn(BoxControl control, int detents)
    {
        if (detents != 0)
        {
            Send(control, detents > 0 ? BoxAction.Cw : BoxAction.Ccw, Math.Abs(detents));
        }
    }
}
