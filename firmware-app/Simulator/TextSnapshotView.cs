using System.Globalization;
using HardwareMaster.App.Host;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Files;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// <c>--snapshot-dir</c> with a character LCD: each new LCD text (as the HD44780 decoder read it back) is written as
/// <c>screen-00001.txt</c>, <c>screen-00002.txt</c>, … (the number continues after the highest one there), atomically
/// (temporary + rename, never over an existing file).
/// </summary>
public sealed class TextSnapshotView : IBoxView
{
    private readonly string _directory;
    private readonly Hd44780Decoder _panel;
    private string _last = string.Empty;
    private int _number;

    /// <summary>Creates the folder if needed and finds where the numbering continues.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="panel">The simulated LCD.</param>
    public TextSnapshotView(string directory, Hd44780Decoder panel)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(panel);
        _directory = directory;
        _panel = panel;
        Directory.CreateDirectory(directory);
        _number = SnapshotView.HighestNumber(directory, ".txt");
    }

    /// <summary>Snapshots written.</summary>
    public int Written { get; private set; }

    /// <summary>The last file written, or null.</summary>
    public string? LastPath { get; private set; }

    /// <inheritdoc />
    public void Show(MonoFrameBuffer panel, in BoxViewState state, bool screenChanged)
    {
        string text = _panel.ScreenText();
        if (text == _last)
        {
            return;
        }

        int number = _number + 1;
        string final = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"screen-{number:00000}.txt"));
        string temp = string.Empty;
        try
        {
            using (FileStream stream = OutputFile.Open(final, OutputMode.Atomic, out temp))
            {
                byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text + "\n");
                stream.Write(bytes);
                OutputFile.FlushToDisk(stream);
            }

            File.Move(temp, final, overwrite: false);
            OutputFile.Untrack(temp);
        }
        catch
        {
            OutputFile.Discard(temp, final);
            throw;
        }

        _last = text;
        _number = number;
        Written++;
        LastPath = final;
    }
}
