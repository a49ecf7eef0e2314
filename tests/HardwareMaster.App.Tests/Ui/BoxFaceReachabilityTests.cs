using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>Every page and every parameter's minimum and maximum can be reached from the knobs alone.</summary>
public class BoxFaceReachabilityTests
{
    public static TheoryData<string> ParameterIds()
    {
        var data = new TheoryData<string>();
        foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
        {
            data.Add(p.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ParameterIds))]
    public void FullLayout_EveryParameter_MinAndMaxReachableWithTheEncoders(string id)
    {
        var rig = new FaceRig();
        Assert.True(FindWithEncoders(rig, id), $"{id} is on no page");
        AssertSweep(rig, id, BoxControl.Value);
    }

    [Theory]
    [MemberData(nameof(ParameterIds))]
    public void MinimalLayout_EveryParameter_MinAndMaxReachableWithOneEncoderAndOneButton(string id)
    {
        var rig = new FaceRig(BoxLayout.Minimal);
        rig.Send(BoxControl.Bypass, BoxAction.Long); // home: MAIN, page mode
        Assert.True(FindModal(rig, id), $"{id} is not reachable with one encoder");
        rig.Send(BoxControl.Value, BoxAction.Press); // field mode -> value mode
        Assert.Equal(BoxMode.Value, rig.Face.Mode);
        AssertSweep(rig, id, BoxControl.Value);
    }

    [Fact]
    public void MinimalLayout_EveryOfferedPage_ReachableByTurningTheOneEncoder()
    {
        var rig = new FaceRig(BoxLayout.Minimal);
        var seen = new HashSet<BoxPage>();
        for (int i = 0; i < rig.Face.Pages.Count; i++)
        {
            seen.Add(rig.Face.CurrentPage);
            rig.Turn(BoxControl.Value, 1);
        }

        Assert.Equal(9, seen.Count);
        Assert.Equal(BoxPage.Main, rig.Face.CurrentPage); // wraps around
        rig.Turn(BoxControl.Value, -1);
        Assert.Equal(BoxPage.System, rig.Face.CurrentPage);
    }

    [Fact]
    public void MinimalLayout_StageBypassesAndPresetSave_ReachableWithOneEncoderAndOneButton()
    {
        var rig = new FaceRig(BoxLayout.Minimal);
        Assert.True(FindModal(rig, "limiter.bypass"));
        rig.Send(BoxControl.Value, BoxAction.Press);
        rig.Turn(BoxControl.Value, 1);
        Assert.False(rig.Face.IsLedLit(BoxControl.Limit));

        rig.Send(BoxControl.Bypass, BoxAction.Long);
        while (rig.Face.CurrentPage != BoxPage.Presets)
        {
            rig.Turn(BoxControl.Value, 1);
        }

        rig.Send(BoxControl.Value, BoxAction.Press);
        rig.Turn(BoxControl.Value, -1); // wraps to the last user slot
        rig.Send(BoxControl.Value, BoxAction.Long);
        Assert.True(rig.Face.IsConfirmPending);
        rig.Send(BoxControl.Value, BoxAction.Press);
        Assert.Equal(7, rig.Presets!.LastSaved);
    }

    private static void AssertSweep(FaceRig rig, string id, BoxControl control)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];
        TurnUntilStable(rig, id, control, +1);
        Assert.Equal(p.Maximum, rig.Backend.Get(id));
        TurnUntilStable(rig, id, control, -1);
        Assert.Equal(p.Minimum, rig.Backend.Get(id));
    }

    private static void TurnUntilStable(FaceRig rig, string id, BoxControl control, int direction)
    {
        for (int i = 0; i < 200; i++)
        {
            double before = rig.Backend.Get(id);
            rig.Turn(control, direction * 10);
            if (rig.Backend.Get(id) == before)
            {
                return;
            }
        }
    }

    private static bool FindWithEncoders(FaceRig rig, string id)
    {
        for (int page = 0; page < rig.Face.Pages.Count; page++)
        {
            for (int field = 0; field < rig.Face.FieldCount; field++)
            {
                if (rig.Face.FocusedParameterId == id)
                {
                    return true;
                }

                rig.Turn(BoxControl.Param, 1);
            }

            rig.Turn(BoxControl.Page, 1);
        }

        return false;
    }

    // One encoder: turn pages in page mode; push to walk the fields; double press back to page mode.
    private static bool FindModal(FaceRig rig, string id)
    {
        for (int page = 0; page < rig.Face.Pages.Count; page++)
        {
            Assert.Equal(BoxMode.Page, rig.Face.Mode);
            if (rig.Face.FieldCount > 0)
            {
                rig.Send(BoxControl.Value, BoxAction.Press);
                Assert.Equal(BoxMode.Field, rig.Face.Mode);
                for (int field = 0; field < rig.Face.FieldCount; field++)
                {
                    if (rig.Face.FocusedParameterId == id)
                    {
                        return true;
                    }

                    rig.Turn(BoxControl.Value, 1);
                }

                rig.Send(BoxControl.Value, BoxAction.Double);
            }

            rig.Turn(BoxControl.Value, 1);
        }

        return false;
    }
}
