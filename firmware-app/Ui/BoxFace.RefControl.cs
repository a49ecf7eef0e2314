using HardwareMaster.App.Monitor;

namespace HardwareMaster.App.Ui;

// The reference A/B from the encoders alone (issue 14, item 3): with a reference player, MONITOR offers a "Reference"
// field after the function, for boxes whose profile has no REF button (every header pin taken) and for everyone else.
// Like a monitor controller's REF key with a source selector: a push (value encoder, param encoder or, modal, the
// encoder in field mode) toggles the reference exactly as a REF press does; turning the value encoder steps the file
// (while off too: pick a file, then push); a long push steps to the next file, as a long REF press does. Its value is
// what is heard: the selected file's name while on, "off" while off, "no stick" or "no files" when nothing can play.
// Every text drawn is a string that already exists (the player's file names, constants): no allocation per frame.
public sealed partial class BoxFace
{
    /// <summary>The value the MONITOR page's Reference field shows (null without a reference player).</summary>
    public string? ReferenceFieldValue => _reference is null ? null : ReferenceValue(_reference);

    private static string ReferenceValue(IBoxReference reference)
    {
        ReferenceStatus status = reference.Status;
        return status.State switch
        {
            ReferenceState.NoFolder => "no stick",
            ReferenceState.NoFiles => "no files",
            _ => reference.IsOn ? status.SelectedName ?? "no files" : "off",
        };
    }

    // The value encoder on the Reference field: one file per detent (an accelerated turn steps at most once round the list).
    private void StepReference(int detents)
    {
        if (_reference is null || detents == 0)
        {
            return;
        }

        int steps = Math.Min(Math.Abs(detents), Math.Max(1, _reference.Status.Files.Count));
        string? name = null;
        for (int i = 0; i < steps; i++)
        {
            name = detents > 0 ? _reference.Next() : _reference.Previous();
        }

        ShowPopup(detents > 0 ? "Reference next" : "Reference prev", name ?? "no files", string.Empty);
    }

    private void AppendReferenceValue(TextLine line)
    {
        if (_reference is not null)
        {
            line.Append(ReferenceValue(_reference));
        }
    }
}
