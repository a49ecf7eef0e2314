using System.Reflection;
using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Tests.Parameters;

/// <summary><see cref="ParameterIds"/> names exactly the registry's parameters, one constant each.</summary>
public class ParameterIdsTests
{
    private static List<string> Constants() => typeof(ParameterIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    [Fact]
    public void Constants_AndTheRegistry_HoldTheSameIds()
    {
        List<string> constants = Constants();
        var registry = ParameterRegistry.Chain.All.Select(p => p.Id).ToList();

        Assert.Equal(constants.Count, constants.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(registry.Order(StringComparer.Ordinal), constants.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryChainParameter_HasARouteExceptTheLoudnessTarget()
    {
        foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
        {
            ChainRoute route = ChainBinder.RouteOf(p.Id);
            Assert.True((route == ChainRoute.None) == (p.Id == ParameterIds.TargetLufs), $"{p.Id} routes to {route}");
        }
    }
}
