using System.Security.Cryptography;

namespace EdgeVisor.Protocol;

/// <summary>
/// The public keys a device accepts deployments from, by key id (<see cref="Protocol.KeyIds.Of"/>). Only P-256
/// keys are accepted, and only their public half is kept.
/// </summary>
public sealed class TrustAnchors : IDisposable
{
    private const string PemStart = "-----BEGIN ";

    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);

    /// <summary>How many keys are trusted.</summary>
    public int Count => _keys.Count;

    /// <summary>The trusted keys' ids.</summary>
    public IEnumerable<string> KeyIds => _keys.Keys;

    /// <summary>
    /// Adds every key in <paramref name="pem"/> (one or more PEM blocks: <c>PUBLIC KEY</c>, or a private key of
    /// which only the public half is kept; other blocks such as comments or certificates are not keys and are
    /// refused); returns the key id of the last. <paramref name="source"/> names where the text came from in a
    /// <see cref="FormatException"/>.
    /// </summary>
    public string AddPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var blocks = new List<string>();
        ReadOnlySpan<char> rest = pem;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            blocks.Add(rest[fields.Location].ToString());
            rest = rest[fields.Location.End..];
        }

        if (blocks.Count == 0)
        {
            throw new FormatException($"{source}: no PEM key found (expected -----BEGIN PUBLIC KEY-----)");
        }

        // Import every block before trusting any, so a bad bundle adds nothing.
        var imported = new List<ECDsa>();
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                imported.Add(ImportPublic(blocks[i], blocks.Count == 1 ? source : $"{source} (key {i + 1} of {blocks.Count})"));
            }
        }
        catch
        {
            imported.ForEach(k => k.Dispose());
            throw;
        }

        string id = "";
        foreach (var key in imported)
        {
            id = Protocol.KeyIds.Of(key);
            if (_keys.Remove(id, out var previous))
            {
                previous.Dispose();
            }

            _keys[id] = key;
        }

        return id;
    }

    /// <summary>Adds the keys of a PEM file (<see cref="AddPem"/>); errors are <see cref="FormatException"/>s naming the file.</summary>
    public string AddFile(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read the trusted key file ({e.Message.Split('\n')[0].TrimEnd('.')})", e);
        }

        return AddPem(pem, path);
    }

    /// <summary>
    /// One entry of the agent's <c>TrustedKeys</c> option: inline PEM (starts with <c>-----BEGIN</c>) or a file
    /// path. <paramref name="source"/> names the entry in errors, e.g. <c>Agent:TrustedKeys:0</c>.
    /// </summary>
    public string AddFileOrPem(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.TrimStart().StartsWith(PemStart, StringComparison.Ordinal)
            ? AddPem(value, source)
            : AddFile(value);
    }

    /// <summary>The trusted public key with id <paramref name="keyId"/>, if any.</summary>
    public bool TryGet(string keyId, out ECDsa key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>Releases the keys.</summary>
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }

    private static ECDsa ImportPublic(string block, string source)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(block);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new FormatException($"{source}: not an EC key in PEM ({e.Message.Split('\n')[0].TrimEnd('.')})", e);
        }

        SigningKey.RequireP256(key, source);
        return ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
    }
}
