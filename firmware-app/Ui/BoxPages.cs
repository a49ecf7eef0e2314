using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Ui;

/// <summary>The pages of the box, in the order the page encoder walks them.</summary>
public enum BoxPage
{
    /// <summary>Meters: in/out peaks, gain reduction, M/S/I, true peak, distance to target.</summary>
    Main,

    /// <summary>Programme loudness: I, LRA, PLR, since when, what each platform does.</summary>
    Loudness,

    /// <summary>High-pass and parametric EQ with the curve.</summary>
    Eq,

    /// <summary>Glue compressor with its gain-reduction bar.</summary>
    Comp,

    /// <summary>Stereo width and mono bass with the correlation.</summary>
    Width,

    /// <summary>True-peak limiter (and dither) with its gain-reduction bar.</summary>
    Limiter,

    /// <summary>Loudness target, learn and ride.</summary>
    Target,

    /// <summary>Factory presets and the user slots (offered when presets are given).</summary>
    Presets,

    /// <summary>Rate, block, latency, xruns, CPU, temperature, uptime.</summary>
    System,

    /// <summary>READY?: the pre-mastering checklist over what the box has heard since the last reset (offered with an analysis).</summary>
    Ready,

    /// <summary>REC: the recorder's state, elapsed time, take files and free space (offered with a recorder).</summary>
    Record,

    /// <summary>MONITOR: the monitor function (translation voicings, mono, side, delta) and the correction EQ (offered with a monitor path; after SYSTEM).</summary>
    Monitor,
}

/// <summary>What the encoder does in a modal layout (<see cref="BoxLayout.IsModal"/>).</summary>
public enum BoxMode
{
    /// <summary>Turning walks the pages.</summary>
    Page,

    /// <summary>Turning walks the fields of the page.</summary>
    Field,

    /// <summary>Turning edits the focused field.</summary>
    Value,
}

/// <summary>What a field of a page is.</summary>
internal enum FieldKind
{
    /// <summary>A registry parameter (<see cref="Field.Index"/> = registry index).</summary>
    Parameter,

    /// <summary>The target preset list (−14/−16/−23/−24/custom), edits <c>target.lufs</c>.</summary>
    TargetPreset,

    /// <summary>Action: arm or finish learn.</summary>
    Learn,

    /// <summary>Switch: ride on/off.</summary>
    Ride,

    /// <summary>Action: restart the programme measurements.</summary>
    ResetLoudness,

    /// <summary>Action: recall factory preset <see cref="Field.Index"/>.</summary>
    FactoryPreset,

    /// <summary>Action: recall (push) or save (long press, confirmed) user slot <see cref="Field.Index"/>.</summary>
    UserSlot,

    /// <summary>Choice: the latency mode (standard / studio / live), SYSTEM page.</summary>
    LatencyMode,

    /// <summary>Action: step back from the safer block the engine chose after an xrun burst, SYSTEM page.</summary>
    StepBack,

    /// <summary>Action: restart the READY? analysis (a new song).</summary>
    ResetReady,

    /// <summary>Action: start/stop recording (push) or start a new take (long press), REC page.</summary>
    Record,

    /// <summary>Choice: the monitor function (off, mono, side, phone, earbuds, car, delta), MONITOR page.</summary>
    MonitorFunction,

    /// <summary>Action: read STATE/monitor-eq.json again and apply it, MONITOR page.</summary>
    MonitorReload,

    /// <summary>Action: the reference A/B (push toggles, turning or a long push steps the file), MONITOR page (offered with a reference player).</summary>
    Reference,
}

/// <summary>One field of a page.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Index">Registry index, preset index or slot, by kind.</param>
internal readonly record struct Field(FieldKind Kind, int Index)
{
    /// <summary>True for fields a push performs (recall, learn, reset) rather than edits.</summary>
    public bool IsAction => Kind is FieldKind.Learn or FieldKind.ResetLoudness or FieldKind.FactoryPreset or FieldKind.UserSlot or FieldKind.StepBack or FieldKind.ResetReady or FieldKind.Record or FieldKind.MonitorReload or FieldKind.Reference;
}

/// <summary>One offered page: its fields and the focus within them.</summary>
internal sealed class PageModel
{
    /// <summary>Creates a page.</summary>
    /// <param name="page">Which page.</param>
    /// <param name="name">Lower-case name for logs and stats.</param>
    /// <param name="title">Title drawn on the screen.</param>
    /// <param name="fields">Its fields (may be empty).</param>
    public PageModel(BoxPage page, string name, string title, Field[] fields)
    {
        Page = page;
        Name = name;
        Title = title;
        Fields = fields;
    }

    /// <summary>Which page.</summary>
    public BoxPage Page { get; }

    /// <summary>Lower-case name.</summary>
    public string Name { get; }

    /// <summary>Screen title.</summary>
    public string Title { get; }

    /// <summary>The fields.</summary>
    public Field[] Fields { get; }

    /// <summary>Index of the focused field (0 when there are none).</summary>
    public int Focus { get; set; }

    /// <summary>The focused field, or null when the page has none.</summary>
    public Field? Focused => Fields.Length > 0 ? Fields[Focus] : null;

    /// <summary>Builds the offered pages over <paramref name="registry"/>; every registry parameter lands on exactly one page.</summary>
    /// <param name="registry">The parameters.</param>
    /// <param name="presets">Presets, or null (no PRESETS page).</param>
    /// <param name="targeting">Loudness targeting, or null (TARGET shows the target only).</param>
    /// <param name="protection">True when the engine protects itself: SYSTEM offers the latency mode and step back.</param>
    /// <param name="readiness">True when there is a programme analysis: the READY? page is offered (after SYSTEM).</param>
    /// <param name="recording">True when there is a recorder: the REC page is offered (last).</param>
    /// <param name="monitor">True when there is a monitor path: the MONITOR page is offered (after SYSTEM).</param>
    /// <param name="reference">True when there is a reference player: MONITOR offers the reference A/B after the function.</param>
    /// <returns>The pages in walking order.</returns>
    public static PageModel[] Build(ParameterRegistry registry, IBoxPresets? presets, ILoudnessTargeting? targeting, bool protection = false, bool readiness = false, bool recording = false, bool monitor = false, bool reference = false)
    {
        var taken = new bool[registry.Count];
        var pages = new List<PageModel>
        {
            new(BoxPage.Main, "main", "MAIN", Parameters(registry, taken, ParameterIds.LoudnessGain, ParameterIds.TrimGain)),
            new(BoxPage.Loudness, "loudness", "LOUDNESS", [new Field(FieldKind.ResetLoudness, 0)]),
            new(BoxPage.Eq, "eq", "EQ", Parameters(registry, taken, ParameterIds.EqBypass, "hpf.", "eq.")),
            new(BoxPage.Comp, "comp", "COMP", Parameters(registry, taken, ParameterIds.CompBypass, "comp.")),
            new(BoxPage.Width, "width", "WIDTH", Parameters(registry, taken, ParameterIds.WidthBypass, "width.")),
            new(BoxPage.Limiter, "limiter", "LIMITER", Parameters(registry, taken, ParameterIds.LimiterBypass, "limiter.", "dither.")),
        };

        var target = new List<Field> { new(FieldKind.TargetPreset, 0) };
        target.AddRange(Parameters(registry, taken, ParameterIds.TargetLufs));
        if (targeting is not null)
        {
            target.Add(new Field(FieldKind.Learn, 0));
            target.Add(new Field(FieldKind.Ride, 0));
        }

        pages.Add(new PageModel(BoxPage.Target, "target", "TARGET", [.. target]));
        if (presets is not null)
        {
            var entries = new List<Field>();
            for (int i = 0; i < presets.FactoryNames.Count; i++)
            {
                entries.Add(new Field(FieldKind.FactoryPreset, i));
            }

            for (int slot = 0; slot < presets.UserSlotCount; slot++)
            {
                entries.Add(new Field(FieldKind.UserSlot, slot));
            }

            pages.Add(new PageModel(BoxPage.Presets, "presets", "PRESETS", [.. entries]));
        }

        // Whatever no page claimed (a parameter added to the registry later) stays reachable on SYSTEM.
        var rest = new List<Field>();
        if (protection)
        {
            rest.Add(new Field(FieldKind.LatencyMode, 0));
            rest.Add(new Field(FieldKind.StepBack, 0));
        }

        for (int i = 0; i < taken.Length; i++)
        {
            if (!taken[i])
            {
                rest.Add(new Field(FieldKind.Parameter, i));
            }
        }

        pages.Add(new PageModel(BoxPage.System, "system", "SYSTEM", [.. rest]));
        if (monitor)
        {
            Field[] fields = reference
                ? [new Field(FieldKind.MonitorFunction, 0), new Field(FieldKind.Reference, 0), new Field(FieldKind.MonitorReload, 0)]
                : [new Field(FieldKind.MonitorFunction, 0), new Field(FieldKind.MonitorReload, 0)];
            pages.Add(new PageModel(BoxPage.Monitor, "monitor", "MONITOR", fields));
        }

        if (readiness)
        {
            pages.Add(new PageModel(BoxPage.Ready, "ready", "READY?", [new Field(FieldKind.ResetReady, 0)]));
        }

        if (recording)
        {
            pages.Add(new PageModel(BoxPage.Record, "rec", "REC", [new Field(FieldKind.Record, 0)]));
        }

        return [.. pages];
    }

    // Fields for each pattern in order: an exact id, or every untaken id starting with a prefix ending in '.'.
    private static Field[] Parameters(ParameterRegistry registry, bool[] taken, params string[] patterns)
    {
        var fields = new List<Field>();
        foreach (string pattern in patterns)
        {
            bool prefix = pattern.EndsWith('.');
            for (int i = 0; i < registry.Count; i++)
            {
                string id = registry.All[i].Id;
                if (!taken[i] && (prefix ? id.StartsWith(pattern, StringComparison.Ordinal) : id == pattern))
                {
                    taken[i] = true;
                    fields.Add(new Field(FieldKind.Parameter, i));
                }
            }
        }

        return [.. fields];
    }
}
