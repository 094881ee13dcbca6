using System.Security.Cryptography;

namespace EdgeVisor.Protocol;

/// <summary>
/// A key's id: the first 16 hex digits of the SHA-256 of its public key's SubjectPublicKeyInfo (DER), so the
/// same key always has the same id wherever it is computed, and the id says nothing secret.
/// </summary>
public static class KeyIds
{
    public static string Of(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
