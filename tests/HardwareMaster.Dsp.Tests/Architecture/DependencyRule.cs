using System.Reflection.Metadata;

namespace HardwareMaster.Dsp.Tests.Architecture;

/// <summary>
/// The dsp dependency rule checked on built metadata: every type or member an assembly uses from another assembly has a
/// TypeRef/MemberRef row, so reading those tables sees each use in IL and in signatures, without running anything.
/// The build-time half is Microsoft.CodeAnalysis.BannedApiAnalyzers with dsp/BannedSymbols.txt.
/// </summary>
internal static class DependencyRule
{
    // Whole namespaces dsp must not touch (and their sub-namespaces).
    private static readonly string[] BannedNamespaces =
    [
        "System.IO",
        "System.Net",
        "System.Threading.Tasks",
        "System.Timers",
    ];

    // Types dsp must not touch. System.Threading.Volatile, Interlocked and Monitor (the lock statement) stay allowed.
    private static readonly HashSet<string> BannedTypes = new(StringComparer.Ordinal)
    {
        "System.Console",
        "System.Threading.Thread",
        "System.Threading.ThreadPool",
        "System.Threading.Timer",
        "System.Threading.SemaphoreSlim",
        "System.Threading.ManualResetEventSlim",
        "System.Diagnostics.Stopwatch",
        "System.Diagnostics.Process",
        "System.TimeProvider",
    };

    // Members of otherwise allowed types that read a clock.
    private static readonly HashSet<string> BannedMembers = new(StringComparer.Ordinal)
    {
        "System.DateTime.get_Now",
        "System.DateTime.get_UtcNow",
        "System.DateTime.get_Today",
        "System.DateTimeOffset.get_Now",
        "System.DateTimeOffset.get_UtcNow",
        "System.Environment.get_TickCount",
        "System.Environment.get_TickCount64",
    };

    /// <summary>Names of referenced assemblies that are ours (<c>HardwareMaster.*</c>, and the app, <c>hardwaremaster</c>).</summary>
    public static List<string> OurReferences(MetadataReader reader)
    {
        var ours = new List<string>();
        foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
        {
            string name = reader.GetString(reader.GetAssemblyReference(handle).Name);
            if (name.StartsWith("hardwaremaster", StringComparison.OrdinalIgnoreCase))
            {
                ours.Add(name);
            }
        }

        return ours;
    }

    /// <summary>Every referenced type or member that breaks the rule, as a full name.</summary>
    public static List<string> Violations(MetadataReader reader)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (TypeReferenceHandle handle in reader.TypeReferences)
        {
            string name = FullName(reader, handle);
            if (IsBannedType(name))
            {
                found.Add(name);
            }
        }

        foreach (MemberReferenceHandle handle in reader.MemberReferences)
        {
            MemberReference member = reader.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference)
            {
                string name = FullName(reader, (TypeReferenceHandle)member.Parent) + "." + reader.GetString(member.Name);
                if (BannedMembers.Contains(name))
                {
                    found.Add(name);
                }
            }
        }

        return [.. found];
    }

    private static bool IsBannedType(string fullName)
    {
        // A nested type (Outer+Inner) is judged by its outermost type.
        string outer = fullName.Split('+')[0];
        string withoutArity = outer.Split('`')[0];
        if (BannedTypes.Contains(withoutArity))
        {
            return true;
        }

        int dot = withoutArity.LastIndexOf('.');
        string ns = dot < 0 ? string.Empty : withoutArity[..dot];
        return BannedNamespaces.Any(b => ns == b || ns.StartsWith(b + ".", StringComparison.Ordinal));
    }

    private static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
