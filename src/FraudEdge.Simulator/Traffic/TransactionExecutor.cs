using FraudEdge.Core.Events;
using FraudEdge.Data;
using FraudEdge.Simulator.Fraud;
using FraudEdge.Simulator.World;

namespace FraudEdge.Simulator.Traffic;

/// <summary>
/// Turns a planned transaction into what the terminal records, in time order: entry mode and CVM from the card,
/// the terminal and the channel; the EMV counter and TVR; the issuer's answer; and the outcome notices that
/// will arrive later (issuer response seconds later, fraud reports days later, chargebacks weeks later).
/// Also plans what genuinely follows: retries after declines, voids, pump and hotel completions.
/// </summary>
internal sealed class TransactionExecutor
{
    private const long Second = 1000;
    private const long Minute = CentralEuropeanTime.MsPerMinute;
    private const long Hour = CentralEuropeanTime.MsPerHour;
    private const long Day = CentralEuropeanTime.MsPerDay;
    private const long CvmLimit = FraudPlanner.ContactlessCvmLimitMinor;
    /// <summary>PSD2 RTS art. 11: SCA after 5 consecutive contactless payments or EUR 150 cumulated without it.</summary>
    private const int ScaConsecutiveLimit = 5;
    private const long ScaCumulativeLimitMinor = 15_000;
    /// <summary>Share of genuine approved purchases later disputed as fraud by the cardholder ("friendly fraud").</summary>
    public const double FriendlyFraudRate = 0.0003;

    private readonly SimWorld _world;
    private readonly SimRandom _rng;
    private readonly IntentQueue _intents;
    private readonly NoticeQueue _notices;
    private readonly List<FraudEpisode> _episodes;
    private readonly SimulationSummary _summary;
    private readonly HashSet<long> _purchasedHere = [];

    public TransactionExecutor(SimWorld world, SimRandom rng, IntentQueue intents, NoticeQueue notices, List<FraudEpisode> episodes, SimulationSummary summary)
    {
        _world = world;
        _rng = rng;
        _intents = intents;
        _notices = notices;
        _episodes = episodes;
        _summary = summary;
    }

    /// <summary>Executes the intent; false when it no longer happens (the genuine holder's card was stolen).</summary>
    public bool Execute(in Intent intent, out TransactionEvent evt)
    {
        evt = default;
        var terminal = _world.Terminals[intent.Terminal];
        var a = terminal.Archetype;
        var card = _world.Card(intent.Card);
        long ts = intent.TimestampMs;
        bool fraud = intent.Typology != FraudTypology.Legitimate;
        FraudEpisode? episode = fraud ? _episodes[intent.Episode] : null;

        if (!fraud)
        {
            // After a fraud report the holder carries the replacement card.
            while (card.BlockedAtMs <= ts) card = _world.Replace(_rng, card);
            if (card.StolenAtMs <= ts) return false;
        }
        if (ts >= card.RenewalAtMs)
        {
            card.ExpiryYyMm = card.RenewedExpiryYyMm;
            card.Atc = _rng.Next(0, 2);
            card.LastAtcUseMs = ts;
            card.RenewalAtMs = long.MaxValue;
        }

        long localDay = CentralEuropeanTime.LocalDay(ts);
        int localHour = CentralEuropeanTime.LocalHour(ts);
        evt.EventId = terminal.NextEventId();
        evt.TerminalId = terminal.Id;
        evt.MerchantId = terminal.Merchant.Id;
        evt.Lane = terminal.Lane;
        evt.OperatorId = intent.OperatorId != 0 ? intent.OperatorId : terminal.Merchant.OperatorOnShift(terminal.Lane, localDay, localHour);
        evt.TimestampUtcMs = ts;
        evt.LocalOffsetMinutes = CentralEuropeanTime.OffsetMinutes(ts);
        evt.Kind = intent.Kind;
        evt.AmountMinor = intent.AmountMinor;
        evt.CashbackMinor = intent.CashbackMinor;
        evt.CurrencyCode = 978;
        evt.MerchantCategoryCode = a.Mcc;
        evt.TerminalCountry = IssuerCatalogue.HomeCountry;
        evt.CardToken = card.Token;
        evt.Bin = card.Bin;
        evt.LastFour = card.LastFour;
        evt.Scheme = card.Scheme;
        evt.CardType = card.Type;
        evt.IssuerCountry = card.IssuerCountry;
        evt.ExpiryYyMm = intent.WrongExpiry ? SimWorld.YyMm(DateOnly.FromDayNumber((int)localDay + 719_162).AddMonths(-_rng.Next(1, 30))) : card.ExpiryYyMm;
        evt.Attended = a.Attended;

        ChooseEntryAndCvm(intent, terminal, card, fraud, ref evt);
        bool noCardRead = intent.Channel is IntentChannel.PumpCompletion or IntentChannel.Void;
        bool emv = !noCardRead && evt.EntryMode is EntryMode.Chip or EntryMode.ContactlessChip or EntryMode.ContactlessMagstripe;
        // Track data (and so the service code) exists for chip and stripe reads, not for keyed or stored cards.
        evt.ServiceCode = evt.EntryMode is EntryMode.KeyEntered or EntryMode.CardOnFile || noCardRead ? (ushort)0 : card.ServiceCode;

        bool offline = false, offlineDecline = false;
        if (emv)
        {
            SetAtc(intent, card, ts, ref evt);
            // Contactless magstripe mode carries the ATC in its track data but no TVR or application cryptogram.
            if (evt.EntryMode != EntryMode.ContactlessMagstripe)
                SetTvrAndCryptogram(intent, terminal, card, fraud, ref evt, out offline, out offlineDecline);
        }

        ushort response = offline ? (offlineDecline ? ResponseCodes.DoNotHonour : ResponseCodes.Approved)
            : fraud ? FraudResponse(intent, episode!, card, ts, evt) : GenuineResponse(intent, card, evt);
        bool approved = response == ResponseCodes.Approved;
        bool retryDuplicate = !fraud && approved && emv && !offline && intent.Kind == TransactionKind.Purchase && _rng.Chance(0.0004);
        if (retryDuplicate) response = ResponseCodes.IssuerUnavailable; // timed out; the terminal resubmits the same cryptogram

        if (!offline)
        {
            AddNotice(evt, ts + _rng.NextLong(700, 3_500), OutcomeKind.IssuerResponse, response);
            _summary.IssuerResponses++;
        }
        bool labelled = fraud ? AddFraudLabels(intent, episode!, evt, approved) : AddFriendlyFraud(evt, approved);

        CountSignals(evt, card, fraud, approved, terminal);
        int t = (int)intent.Typology;
        _summary.EventsByTypology[t]++;
        if (!approved) _summary.DeclinedByTypology[t]++;
        if (labelled) _summary.LabelledByTypology[t]++;
        if (!fraud && labelled) _summary.GenuineEventsLabelledFraud++;

        // The terminal serves one customer at a time.
        terminal.BusyUntilMs = ts + (a.Attended ? 20 * Second + (long)_rng.Exponential(20 * Second) : 8 * Second + (long)_rng.Exponential(8 * Second));
        if (!fraud) PlanFollowUps(intent, terminal, card, evt, approved, response, retryDuplicate);
        return true;
    }

    private void ChooseEntryAndCvm(in Intent intent, SimTerminal terminal, SimCard card, bool fraud, ref TransactionEvent evt)
    {
        var a = terminal.Archetype;
        bool attended = terminal.Attended;
        long amount = evt.AmountMinor;
        switch (intent.Channel)
        {
            case IntentChannel.KeyEntered:
                evt.EntryMode = EntryMode.KeyEntered;
                evt.Cvm = fraud ? (_rng.Chance(0.5) ? CardholderVerification.Signature : CardholderVerification.None)
                    : a.HotelStays || intent.Kind == TransactionKind.Refund ? CardholderVerification.None
                    : _rng.Chance(0.6) ? CardholderVerification.Signature : CardholderVerification.None;
                return;
            case IntentChannel.CardOnFile:
                evt.EntryMode = EntryMode.CardOnFile;
                evt.Cvm = CardholderVerification.None;
                return;
            case IntentChannel.PumpCompletion:
            case IntentChannel.Void:
                evt.EntryMode = intent.LinkedEntryMode;
                evt.Cvm = CardholderVerification.None;
                return;
            case IntentChannel.Swipe:
                evt.EntryMode = EntryMode.Swipe;
                evt.Cvm = StripeCvm(card, attended, fraud);
                return;
            case IntentChannel.Fallback:
                evt.EntryMode = EntryMode.ChipFallbackSwipe;
                evt.Cvm = StripeCvm(card, attended, fraud);
                return;
            case IntentChannel.ContactlessNoCvm:
                evt.EntryMode = EntryMode.ContactlessChip;
                // Under the limit the card's own SCA counters still apply: a thief without the PIN then fails.
                if (amount <= CvmLimit && (card.ConsecutiveNoCvm >= ScaConsecutiveLimit || card.CumulativeNoCvmMinor + amount > ScaCumulativeLimitMinor))
                {
                    evt.Cvm = CardholderVerification.Failed;
                    evt.Tvr |= TerminalVerificationResults.CardholderVerificationNotSuccessful;
                }
                else
                {
                    evt.Cvm = CardholderVerification.None;
                    card.ConsecutiveNoCvm++;
                    card.CumulativeNoCvmMinor += amount;
                }
                return;
            case IntentChannel.ChipPinBypass:
                evt.EntryMode = EntryMode.Chip;
                evt.Cvm = attended ? CardholderVerification.Signature : CardholderVerification.None;
                evt.Tvr |= TerminalVerificationResults.PinNotEntered;
                return;
            case IntentChannel.ChipWrongPin:
                evt.EntryMode = EntryMode.Chip;
                evt.Cvm = CardholderVerification.Failed;
                card.PinTries++;
                evt.Tvr |= TerminalVerificationResults.CardholderVerificationNotSuccessful;
                if (card.PinTries >= 3) evt.Tvr |= TerminalVerificationResults.PinTryLimitExceeded;
                return;
            case IntentChannel.AtcReplay:
            case IntentChannel.AtcJump:
                if (card.Contactless && amount <= CvmLimit && _rng.Chance(0.3))
                {
                    evt.EntryMode = EntryMode.ContactlessChip;
                    evt.Cvm = CardholderVerification.None;
                }
                else
                {
                    evt.EntryMode = EntryMode.Chip;
                    double r = _rng.NextDouble();
                    evt.Cvm = r < 0.3 ? CardholderVerification.OnlinePin : r < 0.7 && attended ? CardholderVerification.Signature : CardholderVerification.None;
                }
                return;
            default:
                GenuinePresentment(intent, terminal, card, ref evt);
                return;
        }
    }

    /// <summary>How a genuine cardholder pays: magstripe-only cards swipe; otherwise tap or insert.</summary>
    private void GenuinePresentment(in Intent intent, SimTerminal terminal, SimCard card, ref TransactionEvent evt)
    {
        var a = terminal.Archetype;
        bool attended = terminal.Attended;
        long amount = evt.AmountMinor;
        if (!card.HasChip)
        {
            evt.EntryMode = EntryMode.Swipe;
            evt.Cvm = StripeCvm(card, attended, fraud: false);
            return;
        }
        if (a.StripeReaderShare > 0 && _rng.Chance(a.StripeReaderShare))
        {
            evt.EntryMode = EntryMode.Swipe;
            evt.Cvm = StripeCvm(card, attended, fraud: false);
            return;
        }
        double tapShare = card.WalletUser ? Math.Min(0.97, a.ContactlessShare + 0.2) : amount <= CvmLimit ? a.ContactlessShare : a.ContactlessShare * 0.45;
        bool tap = intent.Channel != IntentChannel.ChipOnly && card.Contactless && _rng.Chance(tapShare);
        if (intent.Kind == TransactionKind.Refund)
        {
            evt.EntryMode = tap ? EntryMode.ContactlessChip : EntryMode.Chip;
            evt.Cvm = CardholderVerification.None; // refunds are not cardholder-verified
            return;
        }
        if (tap)
        {
            evt.EntryMode = card.Foreign && _rng.Chance(0.01) ? EntryMode.ContactlessMagstripe : EntryMode.ContactlessChip;
            if (card.WalletUser)
            {
                // Phones verify every payment on the device, except transit "express mode".
                evt.Cvm = a.NoCvmAboveLimitRate > 0 && _rng.Chance(0.5) ? CardholderVerification.None : CardholderVerification.ConsumerDevice;
            }
            else if (amount > CvmLimit)
            {
                // Transit and parking may accept above the limit without CVM (scheme caps for unattended transport).
                evt.Cvm = a.NoCvmAboveLimitRate > 0 && _rng.Chance(a.NoCvmAboveLimitRate) ? CardholderVerification.None : CardholderVerification.OnlinePin;
            }
            else if (card.ConsecutiveNoCvm >= ScaConsecutiveLimit || card.CumulativeNoCvmMinor + amount > ScaCumulativeLimitMinor)
            {
                evt.Cvm = CardholderVerification.OnlinePin; // the card asks for SCA
            }
            else
            {
                evt.Cvm = CardholderVerification.None;
            }
            if (evt.Cvm == CardholderVerification.None)
            {
                card.ConsecutiveNoCvm++;
                card.CumulativeNoCvmMinor += amount;
            }
            else
            {
                card.ConsecutiveNoCvm = 0;
                card.CumulativeNoCvmMinor = 0;
                if (evt.Cvm == CardholderVerification.OnlinePin) evt.Tvr |= TerminalVerificationResults.OnlinePinEntered;
            }
            return;
        }
        // Contact chip. Worn chips fail often; any chip fails now and then (dirty reader, bent card).
        bool readFails = _rng.Chance(card.ChipWorn ? 0.35 : 0.002);
        if (readFails && _rng.Chance(attended ? 0.7 : 0.3))
        {
            evt.EntryMode = EntryMode.ChipFallbackSwipe;
            evt.Cvm = StripeCvm(card, attended, fraud: false);
            return;
        }
        if (attended && _rng.Chance(0.001))
        {
            // A terminal coding a technical fallback as a plain swipe: rare, but real data has it.
            evt.EntryMode = EntryMode.Swipe;
            evt.Cvm = StripeCvm(card, attended, fraud: false);
            return;
        }
        evt.EntryMode = EntryMode.Chip;
        if (a.NoCvmUnattended && !attended && amount <= CvmLimit)
        {
            evt.Cvm = CardholderVerification.None;
        }
        else if (card.SignaturePreferred || (card.Type == CardType.Credit && !card.Foreign && attended && _rng.Chance(0.04)))
        {
            // US-style chip-and-signature cards; some domestic credit cards are still signature-first.
            evt.Cvm = attended ? CardholderVerification.Signature : CardholderVerification.None;
        }
        else if (attended && _rng.Chance(0.003))
        {
            evt.Cvm = CardholderVerification.Signature; // holder forgot the PIN, cashier allowed a signature
            evt.Tvr |= TerminalVerificationResults.PinNotEntered;
        }
        else if (_rng.Chance(0.012))
        {
            evt.Cvm = CardholderVerification.Failed; // mistyped PIN
            evt.Tvr |= TerminalVerificationResults.CardholderVerificationNotSuccessful;
        }
        else if (card.OnlinePinCard || card.Foreign)
        {
            evt.Cvm = CardholderVerification.OnlinePin;
            evt.Tvr |= TerminalVerificationResults.OnlinePinEntered;
        }
        else
        {
            evt.Cvm = CardholderVerification.OfflinePin;
        }
        if (evt.Cvm is CardholderVerification.OnlinePin or CardholderVerification.OfflinePin)
        {
            card.ConsecutiveNoCvm = 0;
            card.CumulativeNoCvmMinor = 0;
        }
    }

    private CardholderVerification StripeCvm(SimCard card, bool attended, bool fraud)
    {
        if (fraud)
            return _rng.Chance(attended ? 0.35 : 0.4) ? CardholderVerification.OnlinePin
                : attended ? CardholderVerification.Signature : CardholderVerification.None;
        if (card.OnlinePinCard) return CardholderVerification.OnlinePin;
        return attended ? CardholderVerification.Signature : CardholderVerification.None;
    }

    private void SetAtc(in Intent intent, SimCard card, long ts, ref TransactionEvent evt)
    {
        int atc;
        switch (intent.Channel)
        {
            case IntentChannel.AtcReplay:
                atc = card.Atc - _rng.Next(0, 12); // a counter value the genuine card already used
                break;
            case IntentChannel.AtcJump:
                atc = card.Atc + _rng.Next(300, 5_000);
                break;
            case IntentChannel.RetryDuplicate:
                atc = intent.ForcedAtc;
                break;
            default:
                // The counter also moved for every use elsewhere since we last saw the card.
                int elsewhere = card.LastAtcUseMs == long.MinValue ? 0
                    : Math.Min(400, _rng.Poisson(card.OffNetworkPerDay * (ts - card.LastAtcUseMs) / (double)Day));
                card.Atc = (card.Atc + 1 + elsewhere) & 0xFFFF;
                card.LastAtcUseMs = ts;
                atc = card.Atc;
                break;
        }
        evt.HasAtc = true;
        evt.Atc = (ushort)(atc & 0xFFFF);
    }

    private void SetTvrAndCryptogram(in Intent intent, SimTerminal terminal, SimCard card, bool fraud, ref TransactionEvent evt,
        out bool offline, out bool offlineDecline)
    {
        offline = false;
        offlineDecline = false;
        long floor = terminal.Archetype.FloorLimitMinor;
        if (evt.AmountMinor > floor) evt.Tvr |= TerminalVerificationResults.ExceedsFloorLimit;
        if (evt.Atc <= 2 && intent.Channel is not (IntentChannel.AtcReplay or IntentChannel.AtcJump))
            evt.Tvr |= TerminalVerificationResults.NewCard;
        bool contactless = evt.EntryMode != EntryMode.Chip;
        if (_rng.Chance(contactless ? 0.35 : 0.06)) evt.Tvr |= TerminalVerificationResults.OfflineDataAuthenticationNotPerformed;
        if (intent.Channel is IntentChannel.AtcReplay or IntentChannel.AtcJump)
        {
            // The cloned application cannot produce the genuine card's dynamic signature.
            if (_rng.Chance(0.35)) evt.Tvr |= _rng.Chance(0.5) ? TerminalVerificationResults.CdaFailed : TerminalVerificationResults.DdaFailed;
        }
        else if (_rng.Chance(0.0002))
        {
            evt.Tvr |= TerminalVerificationResults.DdaFailed; // genuine authentication glitch
        }

        if (intent.Kind == TransactionKind.Refund)
        {
            // The card answers a refund with an AAC; the acquirer host authorises the credit online.
            evt.Cryptogram = CryptogramType.Aac;
            return;
        }
        // EMV terminal risk management: under the floor limit, not randomly selected, the card may approve offline.
        bool underFloor = evt.AmountMinor <= floor && evt.Cvm != CardholderVerification.Failed && evt.Cvm != CardholderVerification.OnlinePin
            && !card.OnlinePinCard && evt.Kind == TransactionKind.Purchase;
        if (underFloor && _rng.Chance(0.05))
        {
            evt.Tvr |= TerminalVerificationResults.RandomlySelectedForOnline;
            underFloor = false;
        }
        if (underFloor && _rng.Chance(fraud ? 0.5 : 0.6))
        {
            offline = true;
            if (!fraud && _rng.Chance(0.0008))
            {
                offlineDecline = true;
                evt.Cryptogram = CryptogramType.Aac;
            }
            else
            {
                evt.Cryptogram = CryptogramType.Tc;
            }
            return;
        }
        evt.Cryptogram = CryptogramType.Arqc;
    }

    private ushort FraudResponse(in Intent intent, FraudEpisode episode, SimCard card, long ts, in TransactionEvent evt)
    {
        if (intent.Kind == TransactionKind.Refund) return ResponseCodes.Approved; // credits are not declined by issuers
        if (card.BlockedAtMs <= ts)
        {
            if (episode.Typology == FraudTypology.StolenCardSpree) return _rng.Chance(0.5) ? ResponseCodes.StolenCard : ResponseCodes.LostCard;
            return _rng.Chance(0.5) ? ResponseCodes.DoNotHonour : _rng.Chance(0.5) ? ResponseCodes.RestrictedCard : ResponseCodes.LostCard;
        }
        if (evt.Cvm == CardholderVerification.Failed)
            return (evt.Tvr & TerminalVerificationResults.PinTryLimitExceeded) != 0 ? ResponseCodes.PinTriesExceeded : ResponseCodes.IncorrectPin;
        if (episode.Typology == FraudTypology.CardTesting)
        {
            if (intent.WrongExpiry) return ResponseCodes.ExpiredCard;
            return _rng.Pick([0.22, 0.35, 0.22, 0.06, 0.10, 0.05]) switch
            {
                0 => ResponseCodes.Approved,
                1 => ResponseCodes.InvalidCardNumber,
                2 => ResponseCodes.DoNotHonour,
                3 => ResponseCodes.InsufficientFunds,
                4 => ResponseCodes.CvvMismatch,
                _ => ResponseCodes.ExpiredCard,
            };
        }
        if (!_rng.Chance(episode.DeclineRate)) return ResponseCodes.Approved;
        return episode.Typology switch
        {
            FraudTypology.ContactlessOverLimit => _rng.Pick([0.5, 0.3, 0.2]) switch
            {
                0 => ResponseCodes.ScaRequired,
                1 => ResponseCodes.DoNotHonour,
                _ => ResponseCodes.ExceedsFrequencyLimit,
            },
            _ => _rng.Chance(0.6) ? ResponseCodes.DoNotHonour : ResponseCodes.SuspectedFraud,
        };
    }

    private ushort GenuineResponse(in Intent intent, SimCard card, in TransactionEvent evt)
    {
        if (intent.Kind is TransactionKind.Refund or TransactionKind.Void or TransactionKind.Completion) return ResponseCodes.Approved;
        if (evt.Cvm == CardholderVerification.Failed) return ResponseCodes.IncorrectPin;
        double typeFactor = card.Type switch
        {
            CardType.Prepaid => 2.5,
            CardType.Credit => 0.7,
            CardType.Commercial => 0.5,
            _ => 1.0,
        };
        double p = Math.Min(0.5, 0.017 * typeFactor * card.DeclineProneness * (1 + (evt.AmountMinor / 40_000.0)));
        if (!_rng.Chance(p)) return ResponseCodes.Approved;
        bool contactless = evt.EntryMode is EntryMode.ContactlessChip or EntryMode.ContactlessMagstripe;
        return _rng.Pick([0.55, 0.17, 0.07, contactless ? 0.05 : 0, 0.05, 0.05, 0.04, 0.01, 0.01]) switch
        {
            0 => ResponseCodes.InsufficientFunds,
            1 => ResponseCodes.DoNotHonour,
            2 => ResponseCodes.ExceedsAmountLimit,
            3 => ResponseCodes.ExceedsFrequencyLimit,
            4 => ResponseCodes.IssuerUnavailable,
            5 => ResponseCodes.NotPermittedToCardholder,
            6 => ResponseCodes.SuspectedFraud, // the issuer's own model: a false positive on a genuine payment
            7 => ResponseCodes.InvalidCardNumber,
            _ => ResponseCodes.SystemMalfunction,
        };
    }

    /// <summary>Fraud labels for a fraud event; true when at least one will arrive.</summary>
    private bool AddFraudLabels(in Intent intent, FraudEpisode episode, in TransactionEvent evt, bool approved)
    {
        if (episode.NeverLabelled) return false;
        long ts = evt.TimestampUtcMs;
        bool labelled = false;
        switch (episode.Typology)
        {
            case FraudTypology.CardTesting:
                if (episode.BurstFlagged)
                {
                    // The acquirer's monitoring reports the whole burst as card testing.
                    AddNotice(evt, Math.Max(episode.ReportAtMs, ts + Hour), OutcomeKind.FraudReported, 0);
                    labelled = true;
                }
                else if (approved && _rng.Chance(0.5))
                {
                    // The tested card is later abused elsewhere and reported; the test shows up in the issuer's report.
                    AddNotice(evt, ts + (long)(_rng.Uniform(2, 20) * Day), OutcomeKind.FraudReported, 0);
                    labelled = true;
                }
                return labelled;
            case FraudTypology.RefundAbuse:
                AddNotice(evt, Math.Max(episode.ReportAtMs, ts + Hour), OutcomeKind.FraudReported, 0);
                return true;
        }
        if (ts < episode.ReportAtMs)
        {
            if (episode.ReportAtMs != long.MaxValue && (approved || _rng.Chance(0.6)))
            {
                AddNotice(evt, episode.ReportAtMs + _rng.NextLong(0, 3 * Hour), OutcomeKind.FraudReported, 0);
                labelled = true;
            }
        }
        else if (_rng.Chance(0.5))
        {
            // An attempt on an already blocked card, flagged by the issuer the same day.
            AddNotice(evt, ts + _rng.NextLong(Hour, 24 * Hour), OutcomeKind.FraudReported, 0);
            labelled = true;
        }
        if (approved && _rng.Chance(episode.ChargebackRate))
        {
            AddNotice(evt, ts + (long)(_rng.Uniform(20, 75) * Day), OutcomeKind.Chargeback, 0);
            labelled = true;
        }
        return labelled;
    }

    private bool AddFriendlyFraud(in TransactionEvent evt, bool approved)
    {
        if (!approved || evt.Kind != TransactionKind.Purchase || !_rng.Chance(FriendlyFraudRate)) return false;
        AddNotice(evt, evt.TimestampUtcMs + (long)(_rng.Uniform(25, 70) * Day), OutcomeKind.Chargeback, 0);
        return true;
    }

    private void AddNotice(in TransactionEvent evt, long at, OutcomeKind kind, ushort responseCode)
    {
        _notices.Add(new OutcomeNotice
        {
            EventId = evt.EventId,
            TerminalId = evt.TerminalId,
            CardToken = evt.CardToken,
            TimestampUtcMs = at,
            Kind = kind,
            ResponseCode = responseCode,
        });
        if (kind == OutcomeKind.FraudReported) _summary.FraudReports++;
        else if (kind == OutcomeKind.Chargeback) _summary.Chargebacks++;
    }

    /// <summary>What genuinely happens next: a retry after a decline, a void, a completion, a resubmission.</summary>
    private void PlanFollowUps(in Intent intent, SimTerminal terminal, SimCard card, in TransactionEvent evt, bool approved, ushort response, bool retryDuplicate)
    {
        long ts = evt.TimestampUtcMs;
        var next = intent;
        next.Attempt = (byte)(intent.Attempt + 1);
        next.Card = card.Index;
        if (retryDuplicate)
        {
            next.Channel = IntentChannel.RetryDuplicate;
            next.ForcedAtc = evt.Atc;
            next.TimestampMs = ts + _rng.NextLong(20 * Second, 45 * Second);
            _intents.Schedule(next);
            return;
        }
        if (approved)
        {
            if (intent.Kind == TransactionKind.Purchase)
            {
                terminal.Merchant.RememberPurchase(card.Index, evt.AmountMinor);
                _purchasedHere.Add(PurchaseKey(terminal.Index, card.Index));
                if (terminal.Attended && _rng.Chance(0.002))
                {
                    next.Kind = TransactionKind.Void; // wrong item rung up: the cashier voids it
                    next.CashbackMinor = 0;
                    next.Channel = IntentChannel.Void;
                    next.LinkedEntryMode = evt.EntryMode;
                    next.TimestampMs = ts + _rng.NextLong(15 * Second, 60 * Second);
                    _intents.Schedule(next);
                }
            }
            else if (intent.Kind == TransactionKind.PreAuthorization && terminal.Archetype.PumpPreauthorization)
            {
                next.Kind = TransactionKind.Completion;
                next.AmountMinor = Math.Max(100, intent.LinkedValue);
                next.Channel = IntentChannel.PumpCompletion;
                next.LinkedEntryMode = evt.EntryMode;
                next.TimestampMs = ts + _rng.NextLong(3 * Minute, 7 * Minute);
                terminal.BusyUntilMs = next.TimestampMs + (20 * Second);
                _intents.Schedule(next);
            }
            else if (intent.Kind == TransactionKind.PreAuthorization && terminal.Archetype.HotelStays)
            {
                long checkoutDay = CentralEuropeanTime.LocalDay(ts) + Math.Max(1, intent.LinkedValue);
                next.Kind = TransactionKind.Completion;
                next.AmountMinor = Math.Max(100, (long)(intent.AmountMinor * _rng.Uniform(0.85, 1.15)));
                next.Channel = IntentChannel.CardOnFile;
                next.TimestampMs = TradingHours.SampleBetween(checkoutDay, 7, 11, _rng);
                _intents.Schedule(next);
            }
            return;
        }
        if (intent.Attempt >= 2 || intent.Kind is not (TransactionKind.Purchase or TransactionKind.PreAuthorization)) return;
        next.TimestampMs = ts + _rng.NextLong(15 * Second, 90 * Second);
        if (response == ResponseCodes.ExceedsFrequencyLimit || response == ResponseCodes.IncorrectPin)
        {
            if (!_rng.Chance(0.8)) return;
            next.Channel = IntentChannel.ChipOnly; // "please insert card" / try the PIN again
        }
        else if (response == ResponseCodes.InsufficientFunds || response == ResponseCodes.ExceedsAmountLimit)
        {
            double r = _rng.NextDouble();
            if (r < 0.35) next.Card = _world.PickZoneCard(_rng, card.HomeZone); // another card of the household
            else if (r < 0.5) next.AmountMinor = Math.Max(100, next.AmountMinor / 2); // buys less
            else return;
        }
        else if (response == ResponseCodes.IssuerUnavailable || response == ResponseCodes.SystemMalfunction)
        {
            if (!_rng.Chance(0.5)) return;
        }
        else
        {
            if (!_rng.Chance(0.2)) return;
            next.Card = _world.PickZoneCard(_rng, card.HomeZone);
        }
        next.CashbackMinor = Math.Min(next.CashbackMinor, next.AmountMinor);
        _intents.Schedule(next);
    }

    private static long PurchaseKey(int terminal, int card) => ((long)terminal << 32) | (uint)card;

    private void CountSignals(in TransactionEvent evt, SimCard card, bool fraud, bool approved, SimTerminal terminal)
    {
        if (evt.EntryMode == EntryMode.ChipFallbackSwipe) _summary.Count(ObservableSignal.ChipFallback, fraud);
        if (evt.EntryMode == EntryMode.Swipe && evt.IsChipCard) _summary.Count(ObservableSignal.ChipCardSwiped, fraud);
        if (evt.EntryMode == EntryMode.KeyEntered) _summary.Count(ObservableSignal.KeyEntered, fraud);
        if (card.Foreign) _summary.Count(ObservableSignal.ForeignCard, fraud);
        if (evt.Kind == TransactionKind.Refund)
        {
            _summary.Count(ObservableSignal.Refund, fraud);
            if (!_purchasedHere.Contains(PurchaseKey(terminal.Index, card.Index))) _summary.Count(ObservableSignal.RefundWithoutPurchaseHere, fraud);
        }
        if (evt.EntryMode is EntryMode.ContactlessChip or EntryMode.ContactlessMagstripe && evt.AmountMinor > CvmLimit && evt.Cvm == CardholderVerification.None)
            _summary.Count(ObservableSignal.ContactlessOverLimitNoCvm, fraud);
        if (evt.HasAtc)
        {
            int last = card.LastObservedAtc;
            if (last >= 0)
            {
                int delta = (evt.Atc - last) & 0xFFFF;
                if (delta == 0 || delta > 0x8000 || delta > 250) _summary.Count(ObservableSignal.AtcRepeatOrJump, fraud);
            }
            card.LastObservedAtc = evt.Atc;
        }
        int hour = CentralEuropeanTime.LocalHour(evt.TimestampUtcMs);
        if (hour < 6 && evt.AmountMinor > 15_000) _summary.Count(ObservableSignal.NightHighValue, fraud);
        if (evt.EntryMode is EntryMode.Chip or EntryMode.ContactlessChip && evt.AmountMinor > 15_000
            && evt.Cvm is CardholderVerification.None or CardholderVerification.Signature && evt.Kind == TransactionKind.Purchase)
            _summary.Count(ObservableSignal.HighValueWithoutPin, fraud);
        if (evt.AmountMinor < 500) _summary.Count(ObservableSignal.SmallAmount, fraud);
        if (!approved) _summary.Count(ObservableSignal.Declined, fraud);
    }
}
