using System.Security.Cryptography;

namespace EdgeVisor.Protocol;

/// <summary>The public keys a device accepts deployments from, by key id.</summary>
public sealed class TrustAnchors : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public IEnumerable<string> KeyIds => _keys.Keys;

    /// <summary>Adds a P-256 public (or private: only the public half is kept) key in PEM; returns its key id.</summary>
    public string AddPem(string pem, string source)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException($"{source}: not an EC key in PEM ({e.Message})", e);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new FormatException($"{source}: a {key.KeySize}-bit key; deployments are signed with P-256");
        }

        var publicOnly = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        key.Dispose();
        string id = Protocol.KeyIds.Of(publicOnly);
        if (_keys.Remove(id, out var previous))
        {
            previous.Dispose();
        }

        _keys[id] = publicOnly;
        return id;
    }

    public bool TryGet(string keyId, out ECDsa key) => _keys.TryGetValue(keyId, out key!);

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }
}
