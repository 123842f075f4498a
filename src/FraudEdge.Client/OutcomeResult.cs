using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client;

/// <summary>
/// The service's answer to one OutcomeNotice: recorded (<see cref="Success"/>, <see cref="Ack"/>) or refused with
/// the connection kept open (<see cref="IsRejected"/>, <see cref="Error"/>: e.g. MissingField for an issuer
/// response without <c>response_code</c>). Transport failures are exceptions, never results.
/// </summary>
public readonly struct OutcomeResult
{
    private readonly Ack _ack;
    private readonly ErrorResponse _error;

    public OutcomeResult(in Ack ack)
    {
        _ack = ack;
        _error = default;
        Success = true;
    }

    public OutcomeResult(in ErrorResponse error)
    {
        _ack = default;
        _error = error;
        Success = false;
    }

    /// <summary>True when the service recorded the outcome.</summary>
    public bool Success { get; }

    /// <summary>True when the service refused the notice: <see cref="Error"/> says why.</summary>
    public bool IsRejected => !Success;

    /// <summary>The acknowledgement. Throws InvalidOperationException for a rejected notice: check <see cref="Success"/> first.</summary>
    public Ack Ack
    {
        get
        {
            if (!Success)
            {
                ThrowHelper.ThrowNoResponse(_error.Code);
            }

            return _ack;
        }
    }

    /// <summary>The service's Error for a rejected notice; <c>default</c> (code <see cref="ProtocolErrorCode.None"/>) on success.</summary>
    public ErrorResponse Error => _error;

    public bool TryGetAck(out Ack ack)
    {
        ack = _ack;
        return Success;
    }
}
