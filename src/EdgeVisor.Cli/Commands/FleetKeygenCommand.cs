using System.CommandLine;
using EdgeVisor.Fleet.Signing;

namespace EdgeVisor.Cli.Commands;

/// <summary><c>edgevisor fleet keygen --out key.pem</c>: a new deployment signing key and its public half.</summary>
internal static class FleetKeygenCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out", "-o")
        {
            Description = "Where to write the private key (PKCS#8 PEM, mode 0600); the public key goes next to it as NAME.pub.pem.",
            Required = true,
        };
        var command = new Command("keygen", "Generate a P-256 deployment signing key.") { output };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(output)!;
            try
            {
                var (keyId, publicPath) = SigningKeys.Generate(file.FullName);
                Console.WriteLine($"key id      {keyId}");
                Console.WriteLine($"private key {file.FullName} (keep it secret; sign with --key)");
                Console.WriteLine($"public key  {publicPath} (add it to each device's Agent:TrustedKeys)");
                return ExitCodes.Success;
            }
            catch (SigningKeyException e)
            {
                return FleetErrors.Fail(ExitCodes.CannotCreate, e.Message);
            }
        });
        return command;
    }
}
