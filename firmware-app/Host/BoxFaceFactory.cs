using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Host;

/// <summary>Builds the box's face for a host.</summary>
public static class BoxFaceFactory
{
    /// <summary>The box's face (<see cref="BoxFace"/>, full three-encoder layout) on <paramref name="context"/>.</summary>
    /// <param name="context">Backend, presets, assists, clock, EQ curve.</param>
    /// <returns>The face.</returns>
    public static IBoxFace Create(BoxFaceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new BoxFace(context.Backend, context.Time, context.Presets, context.Loudness, context.Fatigue, layout: context.Layout, eqMagnitudeDb: context.EqMagnitudeDb);
    }
}
