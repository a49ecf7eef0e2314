using System.IO.Compression;
using System.Runtime.CompilerServices;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>
/// Every screen with fixed meter values against a golden PNG in Ui/Golden (the README's pictures). The comparison is
/// pixel by pixel on the decoded PNG, so a different zlib cannot fail it. Regenerate on purpose only:
/// <c>HM_UPDATE_GOLDEN=1 dotnet test ... --filter BoxScreenGoldenTests</c>, then look at the pictures before committing.
/// </summary>
public class BoxScreenGoldenTests
{
    private const int Scale = 3;

    public static TheoryData<string> Screens()
    {
        var data = new TheoryData<string>();
        foreach (string name in ScreenNames)
        {
            data.Add(name);
        }

        return data;
    }

    private static readonly string[] ScreenNames =
    [
        "main", "loudness", "eq", "comp", "width", "limiter", "target", "presets", "system",
        "popup", "bypass-xrun", "fatigue", "save-confirm", "eq-no-curve", "minimal-page-mode", "minimal-value-mode",
    ];

    [Theory]
    [MemberData(nameof(Screens))]
    public void Screen_WithFixedMeters_MatchesGoldenPng(string name)
    {
        MonoFrameBuffer frame = Draw(name);
        string path = Path.Combine(GoldenDirectory(), name + ".png");
        if (Environment.GetEnvironmentVariable("HM_UPDATE_GOLDEN") == "1")
        {
            PngWriter.Write(path, frame, Scale);
        }

        Assert.True(File.Exists(path), $"golden {path} is missing; run with HM_UPDATE_GOLDEN=1 to create it");
        MonoFrameBuffer golden = ReadPng(path);
        Assert.True(golden.ContentEquals(frame), $"screen '{name}' differs from {path}; if the change is intended, regenerate with HM_UPDATE_GOLDEN=1 and look at the picture");
    }

    [Fact]
    public void ReadPng_OfPngWriterOutput_ReturnsTheSamePixels()
    {
        var frame = new MonoFrameBuffer();
        frame.DrawText(3, 5, "Hello 1.5 dB", MonoFont.Small);
        frame.FillRectangle(100, 40, 9, 7);
        string path = Path.Combine(Path.GetTempPath(), "hm-golden-roundtrip-" + Environment.ProcessId + ".png");
        try
        {
            PngWriter.Write(path, frame, Scale);
            Assert.True(ReadPng(path).ContentEquals(frame));
            frame.SetPixel(0, 0);
            Assert.False(ReadPng(path).ContentEquals(frame));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Draws screen <paramref name="name"/> with the fixed meters of <see cref="FakeBoxBackend.FixedMeters"/>.</summary>
    internal static MonoFrameBuffer Draw(string name)
    {
        BoxLayout layout = name.StartsWith("minimal", StringComparison.Ordinal) ? BoxLayout.Minimal : BoxLayout.Full;
        var rig = new FaceRig(layout, eq: name == "eq-no-curve" ? null : BoxFaceAllocationTests.CurveDb);
        BoxFace face = rig.Face;
        rig.Backend.Parameters.Set("eq.bell2.gain", 4);
        rig.Backend.Parameters.Set("eq.highshelf.gain", -3);
        face.Tick();
        switch (name)
        {
            case "main" or "minimal-page-mode":
                break;
            case "loudness":
                face.ShowPage(BoxPage.Loudness);
                break;
            case "eq" or "eq-no-curve":
                BoxFaceTests.GoTo(rig, BoxPage.Eq, "eq.bell2.freq");
                break;
            case "comp":
                BoxFaceTests.GoTo(rig, BoxPage.Comp, "comp.threshold");
                break;
            case "width":
                BoxFaceTests.GoTo(rig, BoxPage.Width, "width.width");
                break;
            case "limiter":
                BoxFaceTests.GoTo(rig, BoxPage.Limiter, "limiter.ceiling");
                break;
            case "target":
                face.ShowPage(BoxPage.Target);
                break;
            case "presets":
                face.ShowPage(BoxPage.Presets);
                rig.Turn(BoxControl.Param, 6);
                break;
            case "system":
                face.ShowPage(BoxPage.System);
                break;
            case "popup":
                BoxFaceTests.GoTo(rig, BoxPage.Comp, "comp.ratio");
                rig.Turn(BoxControl.Value, 3);
                break;
            case "bypass-xrun":
                rig.Send(BoxControl.Bypass, BoxAction.Press);
                rig.Backend.Meters = rig.Backend.Meters with { GlobalBypass = true, DeadlineMisses = 1 };
                break;
            case "fatigue":
                rig.Fatigue!.IsDue = true;
                break;
            case "save-confirm":
                face.ShowPage(BoxPage.Presets);
                rig.Turn(BoxControl.Param, -1);
                rig.Send(BoxControl.Value, BoxAction.Long);
                break;
            case "minimal-value-mode":
                while (face.CurrentPage != BoxPage.Limiter)
                {
                    rig.Turn(BoxControl.Value, 1);
                }

                rig.Send(BoxControl.Value, BoxAction.Press);
                rig.Turn(BoxControl.Value, 1);
                rig.Send(BoxControl.Value, BoxAction.Press);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such screen");
        }

        if (name != "popup")
        {
            rig.Time.Advance(TimeSpan.FromSeconds(2)); // past any pop-up
        }

        face.Tick();
        var frame = new MonoFrameBuffer();
        face.Render(frame);
        return frame;
    }

    /// <summary>Decodes a PNG written by <see cref="PngWriter"/> at <see cref="Scale"/> back to OLED pixels.</summary>
    internal static MonoFrameBuffer ReadPng(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int width = ReadInt(file, 16);
        int height = ReadInt(file, 20);
        using var idat = new MemoryStream();
        for (int offset = 8; offset < file.Length;)
        {
            int length = ReadInt(file, offset);
            string type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
            if (type == "IDAT")
            {
                idat.Write(file, offset + 8, length);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] pixels = raw.ToArray();
        int stride = 1 + (3 * width);
        var frame = new MonoFrameBuffer(width / Scale, height / Scale);
        for (int y = 0; y < frame.Height; y++)
        {
            for (int x = 0; x < frame.Width; x++)
            {
                int at = (y * Scale * stride) + 1 + (3 * x * Scale);
                frame.SetPixel(x, y, pixels[at] != 0 || pixels[at + 1] != 0 || pixels[at + 2] != 0);
            }
        }

        return frame;
    }

    private static int ReadInt(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];

    private static string GoldenDirectory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
