using System.Reflection;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.Hal.Tests.Architecture;

/// <summary>hal/ must never reference dsp/ or the app (STYLE.md C1): the app is the only project that knows both.</summary>
public class HalDependencyTests
{
    private static List<string> OurReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? string.Empty)
            .Where(n => n.StartsWith("hardwaremaster", StringComparison.OrdinalIgnoreCase))
            .ToList();

    [Fact]
    public void HalAssembly_AssemblyReferences_IncludeNeitherDspNorApp()
    {
        Assembly hal = typeof(IAudioDevice).Assembly;

        Assert.Equal("HardwareMaster.Hal", hal.GetName().Name);
        Assert.Empty(OurReferences(hal));
    }

    [Fact]
    public void OurReferences_AssemblyReferencingHal_ReportsHal()
    {
        // The check sees a reference when there is one: this test assembly references hal.
        Assert.Equal(["HardwareMaster.Hal"], OurReferences(typeof(HalDependencyTests).Assembly));
    }
}
