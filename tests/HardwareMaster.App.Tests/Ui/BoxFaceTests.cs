using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Tests.Ui;

public class BoxFaceTests
{
    [Fact]
    public void ValueTurn_OnCompThreshold_ChangesOnlyThatParameterThroughTheRegistry()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Comp, "comp.threshold");
        double[] before = Values(rig.Backend);
        ParameterDefinition threshold = ParameterRegistry.Chain["comp.threshold"];

        rig.Turn(BoxControl.Value, 2);

        double expected = KnobSteps.Nudge(threshold, threshold.Default, 2, fine: false);
        Assert.NotEqual(threshold.Default, expected);
        Assert.Equal(expected, rig.Backend.Get("comp.threshold"));
        int index = ParameterRegistry.Chain.IndexOf("comp.threshold");
        double[] after = Values(rig.Backend);
        for (int i = 0; i < after.Length; i++)
        {
            if (i != index)
            {
                Assert.Equal(before[i], after[i]);
            }
        }
    }

    [Fact]
    public void ValuePush_TogglesFine_FineMovesLessThanCoarseAsTheRegistrySays()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Comp, "comp.threshold");
        ParameterDefinition threshold = ParameterRegistry.Chain["comp.threshold"];
        Assert.False(rig.Face.IsFine);

        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.True(rig.Face.IsFine);
        rig.Turn(BoxControl.Value, 1);
        double fine = rig.Backend.Get("comp.threshold") - threshold.Default;
        Assert.Equal(threshold.Nudge(threshold.Default, 1, fine: true), rig.Backend.Get("comp.threshold"));

        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.False(rig.Face.IsFine);
        double start = rig.Backend.Get("comp.threshold");
        rig.Turn(BoxControl.Value, 1);
        double coarse = rig.Backend.Get("comp.threshold") - start;
        Assert.True(fine > 0 && coarse > 1.5 * fine, $"fine detent {fine} dB, coarse {coarse} dB");
    }

    [Theory]
    [InlineData("eq.highcut.freq")]
    [InlineData("hpf.freq")]
    [InlineData("comp.attack")]
    public void ValueTurn_FullCoarseSweep_TakesTheRegistrysDetentsPerSweep(string id)
    {
        var rig = new FaceRig();
        ParameterDefinition p = ParameterRegistry.Chain[id];
        GoTo(rig, PageOf(id), id);
        rig.Turn(BoxControl.Value, -10_000);
        Assert.Equal(p.Minimum, rig.Backend.Get(id));

        int detents = 0;
        while (rig.Backend.Get(id) < p.Maximum && detents < 10_000)
        {
            rig.Turn(BoxControl.Value, 1);
            detents++;
        }

        Assert.InRange(detents, p.DetentsPerSweep(false) - 1, p.DetentsPerSweep(false) + 1);
    }

    [Fact]
    public void ValueLongPress_ResetsFocusedParameterToItsDefault()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Limiter, "limiter.ceiling");
        rig.Turn(BoxControl.Value, -5);
        Assert.NotEqual(-1.0, rig.Backend.Get("limiter.ceiling"));

        rig.Send(BoxControl.Value, BoxAction.Long);

        Assert.Equal(ParameterRegistry.Chain["limiter.ceiling"].Default, rig.Backend.Get("limiter.ceiling"));
    }

    [Theory]
    [InlineData(BoxControl.Eq, "eq.bypass")]
    [InlineData(BoxControl.Comp, "comp.bypass")]
    [InlineData(BoxControl.Limit, "limiter.bypass")]
    public void StageButton_Press_TogglesStageBypassAndLedShowsStageActive(BoxControl button, string id)
    {
        var rig = new FaceRig();
        Assert.True(rig.Face.IsLedLit(button));

        rig.Send(button, BoxAction.Press);
        Assert.Equal(1, rig.Backend.Get(id));
        Assert.False(rig.Face.IsLedLit(button));

        rig.Send(button, BoxAction.Press);
        Assert.Equal(0, rig.Backend.Get(id));
        Assert.True(rig.Face.IsLedLit(button));
    }

    [Fact]
    public void BypassButton_Press_TogglesGlobalBypassLedAndCorner()
    {
        var rig = new FaceRig();
        var frame = new MonoFrameBuffer();
        rig.Face.Render(frame);
        Assert.False(rig.Face.IsLedLit(BoxControl.Bypass));
        Assert.False(frame.GetPixel(0, 60));

        rig.Send(BoxControl.Bypass, BoxAction.Press);
        rig.Time.Advance(TimeSpan.FromSeconds(2)); // past the pop-up
        rig.Face.Tick();
        rig.Face.Render(frame);
        Assert.True(rig.Backend.GlobalBypass);
        Assert.True(rig.Face.IsLedLit(BoxControl.Bypass));
        Assert.True(frame.GetPixel(0, 60)); // the inverted BYP corner

        rig.Send(BoxControl.Bypass, BoxAction.Press);
        Assert.False(rig.Backend.GlobalBypass);
        Assert.False(rig.Face.IsLedLit(BoxControl.Bypass));
    }

    [Fact]
    public void Popup_AfterValueChange_ShowsNameAndExpiresAfterOnePointFiveSeconds()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Comp, "comp.ratio");
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        rig.Face.Tick();
        Assert.False(rig.Face.IsPopupVisible);
        var quiet = new MonoFrameBuffer();
        rig.Face.Render(quiet);

        rig.Turn(BoxControl.Value, 1);
        Assert.True(rig.Face.IsPopupVisible);
        Assert.Equal("Ratio", rig.Face.PopupName);
        Assert.True(rig.Face.IsDirty);

        rig.Time.Advance(TimeSpan.FromSeconds(1.4));
        rig.Face.Tick();
        Assert.True(rig.Face.IsPopupVisible);

        rig.Time.Advance(TimeSpan.FromSeconds(0.2));
        rig.Face.Tick();
        Assert.False(rig.Face.IsPopupVisible);
    }

    [Fact]
    public void Popup_AtTheEndOfTheRange_StillShows()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Limiter, "limiter.ceiling");
        rig.Turn(BoxControl.Value, 500);
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        rig.Face.Tick();
        Assert.False(rig.Face.IsPopupVisible);

        rig.Turn(BoxControl.Value, 1); // nothing changes any more, but the knob is never silent

        Assert.True(rig.Face.IsPopupVisible);
    }

    [Fact]
    public void IsDirty_AfterRender_IsFalseUntilSomethingChanges()
    {
        var rig = new FaceRig();
        var frame = new MonoFrameBuffer();
        rig.Face.Tick();
        rig.Face.Render(frame);
        Assert.False(rig.Face.IsDirty);
        rig.Face.Tick();
        Assert.False(rig.Face.IsDirty); // same meters, same time: same screen

        rig.Backend.Meters = rig.Backend.Meters with { ShortTermLufs = -9.0 };
        rig.Face.Tick();
        Assert.True(rig.Face.IsDirty);
    }

    [Fact]
    public void Fatigue_WhenDue_IsShownAndAnyInputOnlyAcknowledgesIt()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Comp, "comp.threshold");
        double before = rig.Backend.Get("comp.threshold");
        rig.Fatigue!.IsDue = true;
        rig.Face.Tick();
        Assert.True(rig.Face.IsFatigueShown);
        Assert.True(rig.Fatigue.Updates > 0);

        rig.Turn(BoxControl.Value, 3);

        Assert.Equal(1, rig.Fatigue.Acknowledged);
        Assert.False(rig.Face.IsFatigueShown);
        Assert.Equal(before, rig.Backend.Get("comp.threshold"));
        rig.Turn(BoxControl.Value, 3);
        Assert.NotEqual(before, rig.Backend.Get("comp.threshold"));
    }

    [Fact]
    public void Pages_WithoutServices_OmitPresetsAndTargetingFields()
    {
        var bare = new FaceRig(services: false);
        var full = new FaceRig();

        Assert.DoesNotContain(BoxPage.Presets, bare.Face.Pages);
        Assert.Contains(BoxPage.Presets, full.Face.Pages);
        Assert.Equal(9, full.Face.Pages.Count);
        Assert.True(bare.Face.ShowPage(BoxPage.Target));
        Assert.True(full.Face.ShowPage(BoxPage.Target));
        Assert.Equal(2, bare.Face.FieldCount);
        Assert.Equal(4, full.Face.FieldCount);
    }

    [Fact]
    public void PresetsPage_LongPressOnUserSlot_SavesOnlyAfterConfirmingPress()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Presets);
        rig.Turn(BoxControl.Param, rig.Presets!.FactoryNames.Count + 1); // U2

        rig.Send(BoxControl.Value, BoxAction.Long);
        Assert.True(rig.Face.IsConfirmPending);
        Assert.Equal(0, rig.Presets.SaveCount);

        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.False(rig.Face.IsConfirmPending);
        Assert.Equal(1, rig.Presets.SaveCount);
        Assert.Equal(1, rig.Presets.LastSaved);

        rig.Send(BoxControl.Value, BoxAction.Long);
        rig.Turn(BoxControl.Value, 1); // anything else cancels
        Assert.False(rig.Face.IsConfirmPending);
        Assert.Equal(1, rig.Presets.SaveCount);
    }

    [Fact]
    public void PresetsPage_BypassWhileSaveAsks_CancelsTheSaveAndStillBypasses()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Presets);
        rig.Turn(BoxControl.Param, rig.Presets!.FactoryNames.Count);
        rig.Send(BoxControl.Value, BoxAction.Long);
        Assert.True(rig.Face.IsConfirmPending);

        rig.Send(BoxControl.Bypass, BoxAction.Press);

        Assert.False(rig.Face.IsConfirmPending);
        Assert.Equal(0, rig.Presets.SaveCount);
        Assert.True(rig.Backend.GlobalBypass);
    }

    [Fact]
    public void PresetsPage_ValuePush_RecallsFocusedFactoryPresetAndUserSlot()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Presets);
        rig.Turn(BoxControl.Param, 2);
        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.Equal(2, rig.Presets!.LastFactoryRecalled);

        rig.Turn(BoxControl.Param, rig.Presets.FactoryNames.Count - 2 + 2); // U3 ("vinyl")
        rig.Send(BoxControl.Param, BoxAction.Press);
        Assert.Equal(2, rig.Presets.LastUserRecalled);
        Assert.Equal("vinyl", rig.Presets.CurrentName);
    }

    [Fact]
    public void ParamPush_OnSwitchField_FlipsIt()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Width, "width.monobass");
        Assert.Equal(0, rig.Backend.Get("width.monobass"));

        rig.Send(BoxControl.Param, BoxAction.Press);

        Assert.Equal(1, rig.Backend.Get("width.monobass"));
    }

    [Fact]
    public void ParamPush_OnEqBandField_JumpsToTheNextBand()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Eq, "eq.bell1.gain");

        rig.Send(BoxControl.Param, BoxAction.Press);

        Assert.Equal("eq.bell2.freq", rig.Face.FocusedParameterId);
    }

    [Fact]
    public void TargetPage_PresetField_StepsThroughTargetsAndTellsTheTargeting()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Target);
        Assert.Equal(-14, rig.Backend.Get("target.lufs"));

        rig.Turn(BoxControl.Value, 1);
        Assert.Equal(-16, rig.Backend.Get("target.lufs"));
        Assert.Equal(-16, rig.Targeting!.TargetLufs);
        rig.Turn(BoxControl.Value, 2);
        Assert.Equal(-24, rig.Backend.Get("target.lufs"));
        rig.Turn(BoxControl.Value, 1);
        Assert.Equal(-14, rig.Backend.Get("target.lufs"));
    }

    [Fact]
    public void TargetPage_LearnField_ArmsThenFinishes()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Target);
        rig.Turn(BoxControl.Param, 2); // Learn

        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.Equal(LoudnessAssistMode.Learning, rig.Targeting!.Mode);
        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.Equal(LoudnessAssistMode.Learned, rig.Targeting.Mode);

        rig.Turn(BoxControl.Param, 1); // Ride
        rig.Turn(BoxControl.Value, 1);
        Assert.Equal(LoudnessAssistMode.Riding, rig.Targeting.Mode);
        rig.Turn(BoxControl.Value, -1);
        Assert.Equal(LoudnessAssistMode.Manual, rig.Targeting.Mode);
    }

    [Fact]
    public void LoudnessPage_Push_RestartsTheProgrammeMeasurements()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Loudness);

        rig.Send(BoxControl.Value, BoxAction.Press);

        Assert.Equal(1, rig.Backend.ResetCount);
    }

    [Fact]
    public void RefusedSet_LeavesValueAndShowsWhatTheChainHolds()
    {
        var rig = new FaceRig();
        GoTo(rig, BoxPage.Comp, "comp.makeup");
        rig.Backend.Refuse = true;

        rig.Turn(BoxControl.Value, 3);

        Assert.Equal(0, rig.Backend.Get("comp.makeup"));
        Assert.True(rig.Face.IsPopupVisible);
    }

    [Fact]
    public void XrunCorner_AfterAMissedDeadline_ShowsForThreeSeconds()
    {
        var rig = new FaceRig();
        var frame = new MonoFrameBuffer();
        rig.Face.Tick();
        rig.Face.Render(frame);
        Assert.False(frame.GetPixel(127, 60));

        rig.Backend.Meters = rig.Backend.Meters with { DeadlineMisses = 1 };
        rig.Face.Tick();
        rig.Face.Render(frame);
        Assert.True(frame.GetPixel(127, 60));

        rig.Time.Advance(TimeSpan.FromSeconds(3.1));
        rig.Face.Tick();
        rig.Face.Render(frame);
        Assert.False(frame.GetPixel(127, 60));
    }

    [Fact]
    public void MainInputBar_PeakHold_HoldsOnePointFiveSecondsThenFalls()
    {
        var rig = new FaceRig();
        var frame = new MonoFrameBuffer();
        rig.Backend.Meters = rig.Backend.Meters with { InputPeakLeftDbfs = -1 };
        rig.Face.Tick();
        rig.Backend.Meters = rig.Backend.Meters with { InputPeakLeftDbfs = -30 };

        rig.Time.Advance(TimeSpan.FromSeconds(1));
        rig.Face.Tick();
        rig.Face.Render(frame);
        Assert.True(frame.GetPixel(93, 9));   // hold marker at -1 dBFS
        Assert.False(frame.GetPixel(70, 9));  // the bar itself shows -30 dBFS

        rig.Time.Advance(TimeSpan.FromSeconds(0.6));
        rig.Face.Tick();
        rig.Face.Render(frame);
        Assert.False(frame.GetPixel(93, 9));
    }

    [Fact]
    public void Tick_ReadsMetersOnceAndFeedsTheAssists()
    {
        var rig = new FaceRig();
        int reads = rig.Backend.MeterReads;

        rig.Face.Tick();

        Assert.Equal(reads + 1, rig.Backend.MeterReads);
        Assert.Equal(1, rig.Targeting!.Updates);
        Assert.Equal(1, rig.Fatigue!.Updates);
    }

    [Fact]
    public void MinimalLayout_EncoderGestures_WalkModesEditResetAndToggleFine()
    {
        var rig = new FaceRig(BoxLayout.Minimal);
        Assert.Equal(BoxMode.Page, rig.Face.Mode);
        while (rig.Face.CurrentPage != BoxPage.Comp)
        {
            rig.Turn(BoxControl.Value, 1);
        }

        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.Equal(BoxMode.Field, rig.Face.Mode);
        rig.Turn(BoxControl.Value, 1);
        Assert.Equal("comp.threshold", rig.Face.FocusedParameterId);
        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.Equal(BoxMode.Value, rig.Face.Mode);

        rig.Send(BoxControl.Value, BoxAction.Double);
        Assert.True(rig.Face.IsFine);
        rig.Turn(BoxControl.Value, 1);
        ParameterDefinition threshold = ParameterRegistry.Chain["comp.threshold"];
        Assert.Equal(threshold.Nudge(-18, 1, fine: true), rig.Backend.Get("comp.threshold"));
        Assert.NotEqual(-18, rig.Backend.Get("comp.threshold"));
        rig.Send(BoxControl.Value, BoxAction.Long);
        Assert.Equal(-18, rig.Backend.Get("comp.threshold"));

        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.Equal(BoxMode.Field, rig.Face.Mode);
        rig.Send(BoxControl.Value, BoxAction.Double);
        Assert.Equal(BoxMode.Page, rig.Face.Mode);
    }

    [Fact]
    public void MinimalLayout_ButtonGestures_ShortBypassesDoubleBypassesThePagesStageLongGoesHome()
    {
        var rig = new FaceRig(BoxLayout.Minimal);
        rig.Send(BoxControl.Bypass, BoxAction.Press);
        Assert.True(rig.Backend.GlobalBypass);

        while (rig.Face.CurrentPage != BoxPage.Comp)
        {
            rig.Turn(BoxControl.Value, 1);
        }

        rig.Send(BoxControl.Bypass, BoxAction.Double);
        Assert.Equal(1, rig.Backend.Get("comp.bypass"));
        Assert.False(rig.Face.IsLedLit(BoxControl.Comp));

        rig.Send(BoxControl.Bypass, BoxAction.Long);
        Assert.Equal(BoxPage.Main, rig.Face.CurrentPage);
        Assert.Equal(BoxMode.Page, rig.Face.Mode);
        Assert.True(rig.Backend.GlobalBypass);
    }

    [Fact]
    public void EqCurve_FromTheChainsPublishedDesign_RisesAtABoostedBell()
    {
        var backend = new FakeBoxBackend();
        backend.Parameters.Set("eq.bell2.gain", 12);
        var chain = new HardwareMaster.Dsp.Chain.MasteringChain();
        ChainBinder.ApplyAll(backend.Parameters, chain, 0);
        var face = new BoxFace(backend, new HardwareMaster.Hal.Simulation.ManualTimeProvider(), eqMagnitudeDb: chain.EqMagnitudeDb);
        face.ShowPage(BoxPage.Eq);
        var frame = new MonoFrameBuffer();
        face.Render(frame);

        int x1k = (int)Math.Round(Math.Log(1000 / 20.0) / Math.Log(1000) * 127);
        int x50 = (int)Math.Round(Math.Log(50 / 20.0) / Math.Log(1000) * 127);
        Assert.True(TopLit(frame, x1k) < TopLit(frame, x50) - 6, $"curve at 1 kHz row {TopLit(frame, x1k)}, at 50 Hz row {TopLit(frame, x50)}");
    }

    private static BoxPage PageOf(string id) => id switch
    {
        _ when id.StartsWith("eq.", StringComparison.Ordinal) || id.StartsWith("hpf.", StringComparison.Ordinal) => BoxPage.Eq,
        _ when id.StartsWith("comp.", StringComparison.Ordinal) => BoxPage.Comp,
        _ => throw new ArgumentOutOfRangeException(nameof(id)),
    };

    private static int TopLit(MonoFrameBuffer frame, int x)
    {
        for (int y = 34; y < 56; y++)
        {
            if (frame.GetPixel(x, y) && frame.GetPixel(x + 1, y) | frame.GetPixel(x - 1, y) | frame.GetPixel(x, y + 1))
            {
                return y;
            }
        }

        return 99;
    }

    internal static void GoTo(FaceRig rig, BoxPage page, string? id = null)
    {
        for (int i = 0; i < 20 && rig.Face.CurrentPage != page; i++)
        {
            rig.Turn(BoxControl.Page, 1);
        }

        Assert.Equal(page, rig.Face.CurrentPage);
        if (id is null)
        {
            return;
        }

        for (int i = 0; i < 100 && rig.Face.FocusedParameterId != id; i++)
        {
            rig.Turn(BoxControl.Param, 1);
        }

        Assert.Equal(id, rig.Face.FocusedParameterId);
    }

    private static double[] Values(FakeBoxBackend backend)
    {
        var values = new double[backend.Registry.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = backend.Get(i);
        }

        return values;
    }
}
