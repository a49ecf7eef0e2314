using System.Text.RegularExpressions;

namespace HardwareMaster.Hal.Tests.Architecture;

/// <summary>
/// The layout rule of hal/README.md ("Where things are"): the namespace is the folder, and a file is named after one of
/// the types it declares (its primary one; companions such as an options record may share the file).
/// </summary>
internal static partial class SourceLayout
{
    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    // Top-level declarations start in column 0 under a file-scoped namespace.
    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:static|sealed|abstract|readonly|partial|unsafe|ref)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(\w+)|^(?:public|internal)\s+delegate\s+[^(]*?(\w+)\s*(?:<[^>]*>)?\s*\(", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    /// <summary>The repository root (the folder holding HardwareMaster.sln), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HardwareMaster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("HardwareMaster.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every breach of the rule under <paramref name="projectDir"/>, one line each, or none.</summary>
    /// <param name="projectDir">A project folder (bin/ and obj/ are skipped).</param>
    /// <param name="rootNamespace">The namespace of the project folder itself.</param>
    public static List<string> Problems(string projectDir, string rootNamespace)
    {
        var problems = new List<string>();
        foreach (string file in Directory.EnumerateFiles(projectDir, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(projectDir, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            string folder = Path.GetDirectoryName(relative)?.Replace('\\', '/') ?? string.Empty;
            string expected = folder.Length == 0 ? rootNamespace : rootNamespace + "." + folder.Replace('/', '.');
            Match ns = NamespaceLine().Match(text);
            if (!ns.Success || ns.Groups[1].Value != expected)
            {
                problems.Add($"{relative}: namespace {(ns.Success ? ns.Groups[1].Value : "(none)")}, expected {expected}");
            }

            var types = TypeDeclaration().Matches(text)
                .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
                .ToList();
            string name = Path.GetFileNameWithoutExtension(file);
            if (types.Count > 0 && !types.Contains(name))
            {
                problems.Add($"{relative}: named {name} but declares {string.Join(", ", types)}");
            }
        }

        return problems;
    }
}
