using System.Globalization;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Box;

/// <summary>
/// The box's presets: the factory presets, <see cref="SlotCount"/> user slots saved from the box, and the last state
/// restored at boot, kept in the state directory (<c>/var/lib/hardwaremaster</c> by default) as ordinary preset files
/// (<c>user1.json</c> … <c>user8.json</c>, <c>state.json</c>), each in two generations (<c>NAME.prev</c>) written through
/// <see cref="GenerationalFile"/>, so a power cut at any instant of a save leaves the old or the new copy, never neither.
/// </summary>
/// <remarks>
/// <para>
/// A preset is applied through <see cref="IBoxBackend.TrySet"/>, one parameter at a time in registry order, skipping
/// values that are already in place; the stage bypass switches (<c>eq.bypass</c>, <c>comp.bypass</c>,
/// <c>limiter.bypass</c>) are parameters, so after a recall the buttons are as the preset says. The global bypass is
/// not part of a preset and is left alone.
/// </para>
/// <para>
/// Problems (a corrupt slot recovered from its previous copy, a full disk, a refused value) are reported in one line by
/// <see cref="LastProblem"/>; each recall, save or load starts by clearing it. The files are plain presets, so a user
/// slot can also be used with <c>hardwaremaster render --preset /var/lib/hardwaremaster/user3.json</c>.
/// </para>
/// <para>Control thread only. Reads and names are cached, so <see cref="UserSlotName"/> and <see cref="FactoryNames"/> allocate nothing per frame.</para>
/// </remarks>
public sealed class BoxPresetStore : IBoxPresets
{
    /// <summary>The state directory on the box.</summary>
    public const string DefaultStateDirectory = "/var/lib/hardwaremaster";

    /// <summary>Number of user slots.</summary>
    public const int SlotCount = 8;

    /// <summary>The file name of the last state.</summary>
    public const string StateFileName = "state.json";

    // The name stored in state.json when the box runs edited defaults (no preset recalled or saved yet).
    private const string NoPresetName = "(no preset)";
    private const string StateDescription = "The box's last state (restored at boot).";

    private readonly IBoxBackend _backend;
    private readonly ParameterRegistry _registry;
    private readonly IReadOnlyList<Preset> _factory;
    private readonly string[] _factoryNames;
    private readonly string?[] _slotNames = new string?[SlotCount];
    private string? _lastStateText;

    /// <summary>Opens the store and reads the user slots' names (recovering any corrupt slot from its previous copy).</summary>
    /// <param name="backend">Where presets are applied and read from.</param>
    /// <param name="stateDirectory">The state directory (created on the first save); <see cref="DefaultStateDirectory"/> when null.</param>
    /// <param name="library">The factory presets; loaded from the executable when null.</param>
    public BoxPresetStore(IBoxBackend backend, string? stateDirectory = null, PresetLibrary? library = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        _registry = backend.Registry;
        StateDirectory = Path.GetFullPath(stateDirectory ?? DefaultStateDirectory);
        _factory = (library ?? new PresetLibrary(_registry)).Factory;
        _factoryNames = _factory.Select(p => p.Name).ToArray();
        FactoryNames = Array.AsReadOnly(_factoryNames);

        var problems = new List<string>();
        for (int slot = 0; slot < SlotCount; slot++)
        {
            GenerationalRead<Preset> read = GenerationalFile.Read(UserSlotPath(slot), ParsePreset);
            _slotNames[slot] = read.Value?.Name;
            if (read.Problem is not null)
            {
                problems.Add($"user slot {slot + 1}: {read.Problem}");
            }
        }

        LastProblem = problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The state directory (full path).</summary>
    public string StateDirectory { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> FactoryNames { get; }

    /// <inheritdoc />
    public int UserSlotCount => SlotCount;

    /// <inheritdoc />
    public string? CurrentName { get; private set; }

    /// <inheritdoc />
    public string? LastProblem { get; private set; }

    /// <summary>The path of user slot <paramref name="slot"/> (0-based; the file is numbered from 1 like the screen).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such slot.</exception>
    public string UserSlotPath(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotCount);
        return Path.Combine(StateDirectory, string.Create(CultureInfo.InvariantCulture, $"user{slot + 1}.json"));
    }

    /// <summary>The path of the last-state file.</summary>
    public string StatePath => Path.Combine(StateDirectory, StateFileName);

    /// <summary>The default name of user slot <paramref name="slot"/>: <c>User 3</c> for slot 2.</summary>
    public static string DefaultSlotName(int slot) => string.Create(CultureInfo.InvariantCulture, $"User {slot + 1}");

    /// <inheritdoc />
    public string? UserSlotName(int slot) => (uint)slot < SlotCount ? _slotNames[slot] : null;

    /// <inheritdoc />
    public bool RecallFactory(int index)
    {
        LastProblem = null;
        if ((uint)index >= (uint)_factory.Count)
        {
            LastProblem = string.Create(CultureInfo.InvariantCulture, $"no factory preset {index + 1} (there are {_factory.Count})");
            return false;
        }

        Preset preset = _factory[index];
        return Apply(preset, preset.Name);
    }

    /// <inheritdoc />
    public bool RecallUser(int slot)
    {
        LastProblem = null;
        if ((uint)slot >= SlotCount)
        {
            LastProblem = string.Create(CultureInfo.InvariantCulture, $"no user slot {slot + 1} (there are {SlotCount})");
            return false;
        }

        GenerationalRead<Preset> read = GenerationalFile.Read(UserSlotPath(slot), ParsePreset);
        _slotNames[slot] = read.Value?.Name;
        if (read.Problem is not null)
        {
            LastProblem = $"user slot {slot + 1}: {read.Problem}";
        }

        if (read.Value is null)
        {
            LastProblem ??= $"user slot {slot + 1} is empty";
            return false;
        }

        return Apply(read.Value, read.Value.Name);
    }

    /// <inheritdoc />
    /// <remarks>The slot keeps its name (a new slot is named <see cref="DefaultSlotName"/>).</remarks>
    public bool SaveUser(int slot) => SaveUser(slot, (uint)slot < SlotCount ? _slotNames[slot] ?? DefaultSlotName(slot) : string.Empty);

    /// <summary>Saves the current parameters to user slot <paramref name="slot"/> under <paramref name="name"/>, atomically.</summary>
    /// <param name="slot">0-based slot.</param>
    /// <param name="name">The preset name (1–64 characters, no control characters; shown on the screen).</param>
    /// <returns>False (and <see cref="LastProblem"/>) on a bad slot or name, or a disk problem; the slot's good copies are then untouched.</returns>
    public bool SaveUser(int slot, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        LastProblem = null;
        if ((uint)slot >= SlotCount)
        {
            LastProblem = string.Create(CultureInfo.InvariantCulture, $"no user slot {slot + 1} (there are {SlotCount})");
            return false;
        }

        if (name.Trim().Length == 0 || name.Length > PresetSerializer.MaxNameLength || name.Any(char.IsControl))
        {
            LastProblem = $"user slot {slot + 1}: a preset name must be 1 to {PresetSerializer.MaxNameLength} characters without control characters";
            return false;
        }

        var preset = new Preset(name, string.Create(CultureInfo.InvariantCulture, $"Saved on the box to user slot {slot + 1}."), Snapshot());
        if (!TryWrite(UserSlotPath(slot), PresetSerializer.Serialize(preset), $"user slot {slot + 1}"))
        {
            return false;
        }

        _slotNames[slot] = name;
        CurrentName = name;
        return true;
    }

    /// <summary>
    /// Saves the current parameters and <see cref="CurrentName"/> as the last state (<c>state.json</c>), atomically.
    /// The host calls it after changes, debounced (e.g. a few seconds after the last knob move); an unchanged state is not rewritten.
    /// </summary>
    /// <returns>False (and <see cref="LastProblem"/>) on a disk problem.</returns>
    public bool SaveState()
    {
        LastProblem = null;
        string text = PresetSerializer.Serialize(new Preset(CurrentName ?? NoPresetName, StateDescription, Snapshot()));
        if (string.Equals(text, _lastStateText, StringComparison.Ordinal))
        {
            return true;
        }

        if (!TryWrite(StatePath, text, "last state"))
        {
            return false;
        }

        _lastStateText = text;
        return true;
    }

    /// <summary>Restores the last state at boot (from <c>state.json</c>, else its previous copy).</summary>
    /// <returns>True when a state was applied; false on the first boot (nothing saved, <see cref="LastProblem"/> null) or when neither copy is usable (<see cref="LastProblem"/> says why).</returns>
    public bool LoadState()
    {
        LastProblem = null;
        GenerationalRead<Preset> read = GenerationalFile.Read(StatePath, ParsePreset);
        if (read.Problem is not null)
        {
            LastProblem = $"last state: {read.Problem}";
        }

        if (read.Value is null)
        {
            return false;
        }

        string? name = string.Equals(read.Value.Name, NoPresetName, StringComparison.Ordinal) ? null : read.Value.Name;
        bool applied = Apply(read.Value, name);
        if (!read.FromPrevious)
        {
            _lastStateText = PresetSerializer.Serialize(new Preset(CurrentName ?? NoPresetName, StateDescription, Snapshot()));
        }

        return applied;
    }

    private bool Apply(Preset preset, string? name)
    {
        List<string>? refused = null;
        for (int i = 0; i < _registry.Count; i++)
        {
            double value = preset.Values.Get(i);
            if (_backend.Get(i).Equals(value))
            {
                continue;
            }

            if (!_backend.TrySet(i, value))
            {
                (refused ??= []).Add($"{_registry.All[i].Id} = {_registry.All[i].Format(value)}");
            }
        }

        CurrentName = name;
        if (refused is not null)
        {
            string problem = $"preset '{preset.Name}': the chain refused {string.Join(", ", refused)}";
            LastProblem = LastProblem is null ? problem : $"{LastProblem}; {problem}";
            return false;
        }

        return true;
    }

    private ParameterSet Snapshot()
    {
        var values = new ParameterSet(_registry);
        for (int i = 0; i < _registry.Count; i++)
        {
            ParameterDefinition definition = _registry.All[i];
            values.Set(definition.Id, definition.Clamp(_backend.Get(i)));
        }

        return values;
    }

    private bool TryWrite(string path, string text, string what)
    {
        try
        {
            Directory.CreateDirectory(StateDirectory);
            GenerationalFile.Write(path, text, IsGoodPreset);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LastProblem = $"{what}: {ex.Message.ReplaceLineEndings(" ").Trim()}";
            return false;
        }
    }

    private Preset ParsePreset(byte[] bytes, string path)
    {
        try
        {
            return PresetSerializer.Parse(bytes, path, _registry);
        }
        catch (PresetException e)
        {
            throw new FormatException(e.Problems.Count == 1 ? e.Problems[0] : $"{e.Problems.Count} problems: {e.Problems[0]}; …", e);
        }
    }

    private bool IsGoodPreset(byte[] bytes)
    {
        try
        {
            _ = PresetSerializer.Parse(bytes, "(current copy)", _registry);
            return true;
        }
        catch (PresetException)
        {
            return false;
        }
    }
}
