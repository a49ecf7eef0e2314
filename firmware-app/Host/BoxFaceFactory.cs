using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Host;

/// <summary>Builds the box's face for a host.</summary>
public static class BoxFaceFactory
{
    /// <summary>The face on <paramref name="context"/>.</summary>
    /// <param name="context">Backend, presets, assists, clock.</param>
    /// <returns>The face.</returns>
    public static IBoxFace Create(BoxFaceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // TEMPORARY until the face branch's BoxFace is merged: the host's plain placeholder face.
        return new PlaceholderFace(context.Backend);
    }
}
