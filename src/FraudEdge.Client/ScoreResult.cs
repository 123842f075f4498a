using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client;

/// <summary>
/// The service's answer to one ScoreRequest: a decision (<see cref="Success"/>, <see cref="Response"/>) or a
/// refusal of this request with the connection kept open (<see cref="IsRejected"/>, <see cref="Error"/>), most often
/// <see cref="ProtocolErrorCode.InvalidEvent"/> with the offending key in <c>Error.Field</c> and the
/// <c>ValidationErrorCode</c> in <c>Error.Detail</c> (docs/protocol.md §4.1.1). Transport failures are exceptions
/// (<see cref="FraudEdgeClientException"/>), never results.
/// </summary>
public readonly struct ScoreResult
{
    private readonly ScoreResponse _response;
    private readonly ErrorResponse _error;

    public ScoreResult(in ScoreResponse response)
    {
        _response = response;
        _error = default;
        Success = true;
    }

    public ScoreResult(in ErrorResponse error)
    {
        _response = default;
        _error = error;
        Success = false;
    }

    /// <summary>True when the service decided: <see cref="Response"/> holds the decision.</summary>
    public bool Success { get; }

    /// <summary>True when the service refused this request: <see cref="Error"/> says why.</summary>
    public bool IsRejected => !Success;

    /// <summary>The decision. Throws InvalidOperationException for a rejected request: check <see cref="Success"/> first.</summary>
    public ScoreResponse Response
    {
        get
        {
            if (!Success)
            {
                ThrowHelper.ThrowNoResponse(_error.Code);
            }

            return _response;
        }
    }

    /// <summary>The service's Error for a rejected request; <c>default</c> (code <see cref="ProtocolErrorCode.None"/>) on success.</summary>
    public ErrorResponse Error => _error;

    public bool TryGetResponse(out ScoreResponse response)
    {
        response = _response;
        return Success;
    }
}
