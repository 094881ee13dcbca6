using EdgeVisor.Protocol;

namespace EdgeVisor.Agent.Commands;

/// <summary>A command's reply, and what to do once the reply is on its way (reboot-agent restarts only after replying).</summary>
public sealed record CommandOutcome(CommandResponse Response, Action? AfterReply = null)
{
    public static CommandOutcome Failed(string error) => new(new CommandResponse { Ok = false, Error = error });
}
