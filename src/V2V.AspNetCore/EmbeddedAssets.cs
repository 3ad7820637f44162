using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace V2V.AspNetCore;

/// <summary>
/// Files served from an assembly's resources (those named <c>PREFIX/NAME</c>), read once: nothing on disk to find or
/// to go missing, and no file system path a request could walk out of. Each answer says <c>no-cache</c> with an ETag:
/// a page from an older server must not talk an older protocol to a newer one.
/// </summary>
internal sealed class EmbeddedAssets
{
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public EmbeddedAssets(Assembly assembly, string prefix)
    {
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[prefix.Length..];
            _assets[name] = new Asset(bytes, ContentType(name), $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"");
        }
    }

    /// <summary>The file names served, e.g. <c>index.html</c>.</summary>
    public IEnumerable<string> Names => _assets.Keys;

    /// <summary>Writes the asset, or 404.</summary>
    public Task ServeAsync(HttpContext context, string name)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Bytes.Length;
        return context.Response.Body.WriteAsync(asset.Bytes, context.RequestAborted).AsTask();
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".md" => "text/markdown; charset=utf-8",
        ".ts" => "text/plain; charset=utf-8", // TypeScript declarations, to read or save beside an app's own sources
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
