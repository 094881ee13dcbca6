using System.Security.Cryptography;
using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Signing;

/// <summary>
/// The operator's deployment signing keys on disk: a P-256 private key as PKCS#8 PEM (readable by its owner
/// only) and its public half as SPKI PEM (what devices list in <c>Agent:TrustedKeys</c>).
/// </summary>
public static class SigningKeys
{
    /// <summary>The public key file written next to <paramref name="privateKeyPath"/>: <c>key.pem</c> → <c>key.pub.pem</c>.</summary>
    public static string PublicKeyPath(string privateKeyPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(privateKeyPath))!;
        string name = Path.GetFileName(privateKeyPath);
        string stem = name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return Path.Combine(directory, stem + ".pub.pem");
    }

    /// <summary>
    /// Generates a key pair and writes both files; refuses to overwrite an existing private key (losing it would
    /// orphan every device that trusts it). Returns the key id and the public key path.
    /// </summary>
    public static (string KeyId, string PublicKeyPath) Generate(string privateKeyPath)
    {
        string fullPath = Path.GetFullPath(privateKeyPath);
        if (File.Exists(fullPath))
        {
            throw new SigningKeyException($"{privateKeyPath}: already exists; not overwriting a signing key");
        }

        using var key = SigningKey.Generate();
        string publicPath = PublicKeyPath(fullPath);
        try
        {
            // Created with owner-only permissions, so the private key is never readable by others, not even briefly.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(fullPath, options))
            {
                writer.Write(SigningKey.ExportPrivatePem(key));
                writer.Write('\n');
            }

            File.WriteAllText(publicPath, SigningKey.ExportPublicPem(key) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SigningKeyException($"{privateKeyPath}: cannot write the key ({e.Message})", e);
        }

        return (KeyIds.Of(key), publicPath);
    }

    /// <summary>Loads a P-256 private key from PEM; any problem is a <see cref="SigningKeyException"/> naming the file.</summary>
    public static ECDsa LoadPrivate(string path)
    {
        if (!File.Exists(path))
        {
            throw new SigningKeyException($"{path}: no such key file");
        }

        try
        {
            return SigningKey.LoadPrivateFile(path);
        }
        catch (FormatException e)
        {
            throw new SigningKeyException(e.Message, e);
        }
    }
}

/// <summary>A signing key that cannot be created or used; the message names the file.</summary>
public sealed class SigningKeyException : Exception
{
    public SigningKeyException()
    {
    }

    public SigningKeyException(string message)
        : base(message)
    {
    }

    public SigningKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
