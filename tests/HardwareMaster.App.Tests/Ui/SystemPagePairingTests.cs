using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>The SYSTEM page shows the remote web page's pairing secret on its bottom line, and nothing there without one.</summary>
public sealed class SystemPagePairingTests
{
    [Fact]
    public void SystemPage_WithAPairingSecret_DrawsItOnTheBottomLine_WithoutOneLeavesItDark()
    {
        int without = BottomLinePixels(secret: null);
        int with = BottomLinePixels("ABCD-EFGH-JKMN-PQRS");
        Assert.Equal(0, without);
        Assert.True(with > 40, $"{with} pixels lit on the bottom line");
    }

    private static int BottomLinePixels(string? secret)
    {
        var backend = new FakeBoxBackend { System = FakeBoxBackend.FixedSystem() with { PairingSecret = secret } };
        var face = new BoxFace(backend, new HardwareMaster.Hal.Simulation.ManualTimeProvider());
        face.ShowPage(BoxPage.System);
        for (int i = 0; i < 30; i++)
        {
            face.Tick(); // the SYSTEM page reads the device state every few frames
        }

        var frame = new MonoFrameBuffer();
        face.Render(frame);
        int lit = 0;
        for (int y = 57; y < 64; y++)
        {
            for (int x = 0; x < 128; x++)
            {
                lit += frame.GetPixel(x, y) ? 1 : 0;
            }
        }

        return lit;
    }
}
