using System.Text.Json;
using System.Text.Json.Serialization;

namespace HardwareMaster.Hal.Profile;

/// <summary>Source-generated JSON metadata for the hardware profile (Native AOT, no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(HardwareProfile))]
public sealed partial class HardwareProfileJsonContext : JsonSerializerContext
{
}
