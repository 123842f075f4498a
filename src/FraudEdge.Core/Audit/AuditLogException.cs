namespace FraudEdge.Core.Audit;

/// <summary>The audit log cannot be opened or appended to. <see cref="Problem"/> says where, for corruption.</summary>
public sealed class AuditLogException : IOException
{
    public AuditLogException(AuditErrorCode code, string message, AuditProblem? problem = null, Exception? inner = null)
        : base($"audit log ({code}): {message}", inner)
    {
        Code = code;
        Problem = problem;
    }

    public AuditErrorCode Code { get; }

    public AuditProblem? Problem { get; }
}
