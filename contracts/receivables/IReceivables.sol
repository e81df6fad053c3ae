// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ICollateral} from "../finance/ICollateral.sol";

/// @title Confirmed receivables (ERC-1155, transfer-restricted)
/// @notice A receivable is a debtor's confirmed promise to pay a face value in an ISO 4217 currency
/// at a due date. Its ERC-1155 token id is the receivable id and each member's balance is the part of
/// the face value (integer minor units) it holds, so a supplier pays its own suppliers by transferring
/// part of its amount, and every `TransferSingle` event is one link of the chain of transfers.
/// Deviations from ERC-1155, each of which makes a transfer revert: the holder and the recipient must be
/// active members; only a confirmed receivable moves, and not while it is disputed, frozen or in
/// settlement (from the first payment on); an earmarked amount (see {earmark}) does not move.
/// Tokens are minted only at registration (the whole face value to the creditor) and burned only when
/// an unconfirmed receivable is cancelled or rejected, or when a holder is settled in full.
/// @dev Pledging goes through the lien registry over *lots*: a holder earmarks an amount of one
/// receivable into a lot ({earmark}), and the lot is the {ICollateral} instrument. Every unit of value
/// is in at most one lot and one invoice backs at most one receivable, ever, so no value can back two
/// liens. Settlement is bounded: {recordPayment} is O(1) and {settleHolders} costs gas linear in the
/// list of holders its caller passes, never in the total number of holders.
interface IReceivables is ICollateral {
    /// @notice Lifecycle of a receivable. Overdue is computed, see {isOverdue}; "in settlement" is a
    /// confirmed receivable with a payment recorded.
    enum ReceivableStatus {
        None,
        Registered,
        Confirmed,
        Cancelled,
        Rejected,
        Settled
    }

    /// @notice A receivable as stored: two slots. The creditor is in {ReceivableRegistered} (and kept
    /// apart only while the receivable awaits confirmation).
    struct Receivable {
        // slot 1
        address debtor;
        uint64 dueDate;
        ReceivableStatus status;
        bytes3 currency;
        // slot 2
        uint96 faceValue;
        uint96 paid;
        uint32 graceSeconds;
        bool disputed;
        bool frozen;
    }

    /// @notice What a creditor registers and, in {registerConfirmed}, the debtor signs (EIP-712 type
    /// `Registration`, domain "TraceFin Receivables" version 1).
    struct Registration {
        address creditor;
        address debtor;
        uint96 faceValue;
        bytes3 currency;
        uint64 dueDate;
        uint32 graceSeconds;
        bytes32 invoiceHash;
        bytes32 documentHash;
        bytes32 salt;
    }

    /// @notice A receivable with everything computed from it.
    struct ReceivableView {
        address debtor;
        ReceivableStatus status;
        bytes3 currency;
        uint64 dueDate;
        uint32 graceSeconds;
        uint96 faceValue;
        uint96 paid;
        /// @dev faceValue - paid.
        uint96 outstanding;
        bool disputed;
        bool frozen;
        bool inSettlement;
        bool overdue;
        /// @dev Sum of every holder's settled amount.
        uint128 settledTotal;
        /// @dev Face value burned by closing fully settled holders.
        uint128 closedTotal;
        address paymentAgent;
    }

    /// @notice An earmarked amount of one receivable held by one holder: the pledgeable instrument.
    struct Lot {
        address holder;
        uint96 amount;
        uint64 receivableId;
        bool pledged;
    }

    /// @notice An open offer to sell an amount to a financier at a price.
    struct Sale {
        address seller;
        uint96 amount;
        address financier;
        uint96 price;
        uint64 receivableId;
    }

    /// @notice No receivable has this id.
    error UnknownReceivable(uint256 receivableId);
    /// @notice The debtor is the creditor itself.
    error InvalidDebtor(address debtor);
    /// @notice An amount (face value, payment, earmark, sale) of zero.
    error ZeroAmount();
    /// @notice Not an ISO 4217 alphabetic code (three ASCII capital letters).
    error InvalidCurrency(bytes3 currency);
    /// @notice The due date is not in the future.
    error InvalidDueDate(uint64 dueDate);
    /// @notice Every receivable must name its invoice.
    error ZeroInvoiceHash();
    /// @notice The invoice already backs receivable `existingId` (perhaps cancelled or rejected).
    error InvoiceAlreadyUsed(bytes32 invoiceHash, uint256 existingId);
    /// @notice Only the debtor may do this.
    error NotDebtor(uint256 receivableId, address caller, address debtor);
    /// @notice The caller is not the creditor of the unconfirmed receivable (who holds its whole amount).
    error NotCreditor(uint256 receivableId, address caller);
    /// @notice {registerConfirmed} was sent by someone else than the registration's creditor.
    error NotRegistrant(address caller, address creditor);
    /// @notice The signature is not the debtor's over these registration terms.
    error InvalidDebtorSignature(address debtor);
    /// @notice The receivable's status does not allow this.
    error InvalidStatus(uint256 receivableId, ReceivableStatus status);
    /// @notice The debtor disputes the receivable: nothing moves, is pledged, sold or settled.
    error ReceivableIsDisputed(uint256 receivableId);
    /// @notice There is no dispute to resolve.
    error ReceivableNotDisputed(uint256 receivableId);
    /// @notice A regulator froze the receivable.
    error ReceivableIsFrozen(uint256 receivableId);
    /// @notice The receivable is not frozen.
    error ReceivableNotFrozen(uint256 receivableId);
    /// @notice A payment was recorded: nothing moves, is earmarked, pledged or sold any more.
    error ReceivableInSettlement(uint256 receivableId, uint96 paid);
    /// @notice The recipient is not an active member.
    error TransferToNonMember(address to);
    /// @notice The transfer would take `holder` below its earmarked amount.
    error AmountEarmarked(uint256 receivableId, address holder, uint256 earmarked);
    /// @notice `requested` is more than the holder's balance less its earmarked amount.
    error InsufficientFreeAmount(uint256 receivableId, address holder, uint256 requested, uint256 free);
    /// @notice No live lot has this id (never earmarked, released or seized).
    error UnknownLot(uint256 lotId);
    /// @notice Only the lot's holder may free it.
    error NotLotHolder(uint256 lotId, address caller, address holder);
    /// @notice The lot is under a lien.
    error LotAlreadyPledged(uint256 lotId);
    /// @notice The lot is not under a lien.
    error LotNotPledged(uint256 lotId);
    /// @notice `amount` is not strictly between 0 and the lot's amount.
    error InvalidLotAmount(uint256 lotId, uint256 amount);
    /// @notice No open sale offer has this id (never made, accepted or withdrawn).
    error UnknownSale(uint256 saleId);
    /// @notice Only the seller may withdraw the offer.
    error NotSeller(uint256 saleId, address caller);
    /// @notice Only the financier the offer names may accept it.
    error NotSaleFinancier(uint256 saleId, address caller);
    /// @notice The price must be above 0 and at most the amount (a sale at a discount or at par).
    error InvalidPrice(uint256 amount, uint256 price);
    /// @notice A holder cannot sell to itself.
    error InvalidFinancier(address financier);
    /// @notice The caller is neither the debtor nor its appointed payment agent.
    error NotPayer(uint256 receivableId, address caller);
    /// @notice The payment is more than the face value not yet paid.
    error PaymentExceedsOutstanding(uint256 receivableId, uint96 amount, uint96 outstanding);
    /// @notice No payment recorded yet: there is nothing to settle.
    error NothingPaid(uint256 receivableId);

    /// @notice A creditor registered a receivable; its whole face value is minted to the creditor.
    event ReceivableRegistered(
        uint256 indexed receivableId,
        address indexed creditor,
        address indexed debtor,
        uint96 faceValue,
        bytes3 currency,
        uint64 dueDate,
        uint32 graceSeconds,
        bytes32 invoiceHash,
        bytes32 documentHash
    );
    /// @notice The debtor confirmed it owes the receivable; it can now move.
    event ReceivableConfirmed(uint256 indexed receivableId, address indexed debtor);
    /// @notice The creditor withdrew the unconfirmed receivable; its amount was burned.
    event ReceivableCancelled(uint256 indexed receivableId, address indexed creditor, bytes32 reasonHash);
    /// @notice The debtor refused the unconfirmed receivable; its amount was burned.
    event ReceivableRejected(uint256 indexed receivableId, address indexed debtor, bytes32 reasonHash);
    /// @notice The debtor disputes the receivable.
    event ReceivableDisputed(uint256 indexed receivableId, address indexed debtor, bytes32 reasonHash);
    /// @notice The debtor withdrew its dispute.
    event DisputeResolved(uint256 indexed receivableId, address indexed debtor, bytes32 reasonHash);
    /// @notice A regulator froze the receivable.
    event ReceivableFrozen(uint256 indexed receivableId, address indexed regulator, bytes32 reasonHash);
    /// @notice A regulator lifted the freeze.
    event ReceivableUnfrozen(uint256 indexed receivableId, address indexed regulator, bytes32 reasonHash);
    /// @notice The debtor named the bank that may record payments for it (zero: none).
    event PaymentAgentAppointed(uint256 indexed receivableId, address indexed debtor, address indexed agent);
    /// @notice `amount` of the holder's free amount is now lot `lotId`, pledgeable through the lien registry.
    event LotEarmarked(uint256 indexed lotId, uint256 indexed receivableId, address indexed holder, uint96 amount);
    /// @notice The lien registry locked (pledged) or unlocked the lot.
    event LotPledgeStatusChanged(uint256 indexed lotId, uint256 indexed receivableId, bool pledged);
    /// @notice Part of a pledged lot was released by the lien registry: `amount` is free again.
    event LotReduced(uint256 indexed lotId, uint256 indexed receivableId, uint96 amount, uint96 remaining);
    /// @notice The holder freed an unpledged lot; its amount is free again.
    event LotReleased(uint256 indexed lotId, uint256 indexed receivableId, address indexed holder, uint96 amount);
    /// @notice Enforcement moved the lot's amount from `holder` to `to`; the lot is gone.
    event LotSeized(
        uint256 indexed lotId, uint256 indexed receivableId, address indexed holder, address to, uint96 amount
    );
    /// @notice A holder offered `amount` to `financier` for `price` (minor units of the receivable's currency).
    event SaleOffered(
        uint256 indexed saleId,
        uint256 indexed receivableId,
        address indexed seller,
        address financier,
        uint96 amount,
        uint96 price
    );
    /// @notice The seller withdrew its sale offer.
    event SaleWithdrawn(uint256 indexed saleId, uint256 indexed receivableId, address indexed seller);
    /// @notice The financier accepted: `amount` moved from the seller to it for `price`.
    event ReceivableSold(
        uint256 indexed saleId,
        uint256 indexed receivableId,
        address indexed seller,
        address financier,
        uint96 amount,
        uint96 price
    );
    /// @notice `payer` (the debtor or its agent) recorded a payment; `paidTotal` is the sum paid so far.
    event PaymentRecorded(
        uint256 indexed receivableId, address indexed payer, uint96 amount, uint96 paidTotal, bytes32 referenceHash
    );
    /// @notice `holder` is owed `amount` more (its pro-rata share of the payments so far);
    /// `pledgedLotAmount` of its holding is earmarked in lots, for a lienholder to collect on.
    event HolderSettled(
        uint256 indexed receivableId, address indexed holder, uint256 amount, uint256 settledTotal, uint256 pledgedLotAmount
    );
    /// @notice `holder` was settled in full and its balance burned.
    event HolderClosed(uint256 indexed receivableId, address indexed holder);
    /// @notice Every holder was settled in full and closed: status Settled.
    event ReceivableSettled(uint256 indexed receivableId);

    /// @notice Registers a receivable against `debtor`; the caller is the creditor and receives the
    /// whole face value, which cannot move until the debtor confirms.
    /// @dev Requirements: caller an active ENTERPRISE; `debtor` an active member other than the caller
    /// ({InvalidDebtor}); faceValue > 0 ({ZeroAmount}); currency three capital letters; dueDate in the
    /// future; invoiceHash non-zero and never used ({InvoiceAlreadyUsed}). Ids count from 1.
    /// Emits {TransferSingle} (mint) and {ReceivableRegistered}.
    function register(
        address debtor,
        uint96 faceValue,
        bytes3 currency,
        uint64 dueDate,
        uint32 graceSeconds,
        bytes32 invoiceHash,
        bytes32 documentHash
    ) external returns (uint256 receivableId);

    /// @notice The debtor confirms that it owes the receivable: from now on it moves.
    /// @dev Requirements: caller the debtor, an active member; status Registered.
    /// Emits {ReceivableConfirmed}.
    function confirm(uint256 receivableId) external;

    /// @notice Registers and confirms in one transaction with the debtor's EIP-712 signature of
    /// `registration` (an EOA signature or EIP-1271).
    /// @dev Requirements: as {register}, caller `registration.creditor` ({NotRegistrant}); a valid
    /// signature of the debtor ({InvalidDebtorSignature}). The signed digest covers the invoice hash,
    /// which is single-use, so a signature can never register twice ({InvoiceAlreadyUsed} on replay).
    /// Emits {TransferSingle}, {ReceivableRegistered} and {ReceivableConfirmed}.
    function registerConfirmed(Registration calldata registration, bytes calldata debtorSignature)
        external
        returns (uint256 receivableId);

    /// @notice The creditor withdraws an unconfirmed receivable; the amount is burned. The invoice
    /// stays used.
    /// @dev Requirements: status Registered; caller the creditor (holder of the whole amount), an
    /// active member ({NotCreditor}). Emits {TransferSingle} (burn) and {ReceivableCancelled}.
    function cancel(uint256 receivableId, bytes32 reasonHash) external;

    /// @notice The debtor refuses an unconfirmed receivable; the amount is burned.
    /// @dev Requirements: caller the debtor, an active member; status Registered.
    /// Emits {TransferSingle} (burn) and {ReceivableRejected}.
    function reject(uint256 receivableId, bytes32 reasonHash) external;

    /// @notice The debtor disputes a confirmed receivable: it no longer moves, is pledged or sold.
    /// @dev Requirements: caller the debtor, an active member; status Confirmed; not disputed.
    /// Emits {ReceivableDisputed}.
    function dispute(uint256 receivableId, bytes32 reasonHash) external;

    /// @notice The debtor withdraws its dispute.
    /// @dev Requirements: caller the debtor, an active member; status Confirmed; disputed.
    /// Emits {DisputeResolved}.
    function resolveDispute(uint256 receivableId, bytes32 reasonHash) external;

    /// @notice Judicial freeze: nothing moves, is earmarked, sold, pledged or settled; the lien
    /// registry may still end a lien ({ICollateral-unlock}).
    /// @dev Requirements: caller an active REGULATOR; receivable exists; not frozen. Emits {ReceivableFrozen}.
    function freeze(uint256 receivableId, bytes32 reasonHash) external;

    /// @notice Lifts a freeze.
    /// @dev Requirements: caller an active REGULATOR; frozen. Emits {ReceivableUnfrozen}.
    function unfreeze(uint256 receivableId, bytes32 reasonHash) external;

    /// @notice The debtor names its bank, which may record payments in its place (address(0) removes it).
    /// @dev Requirements: caller the debtor, an active member; status Registered or Confirmed;
    /// `agent` an active FINANCIER or zero. Emits {PaymentAgentAppointed}.
    function appointPaymentAgent(uint256 receivableId, address agent) external;

    /// @notice Earmarks `amount` of the caller's free amount into a new lot, which it can then pledge.
    /// @dev Requirements: caller an active member; amount > 0 and at most its free amount
    /// ({InsufficientFreeAmount}); receivable confirmed, not disputed, frozen or in settlement.
    /// Emits {LotEarmarked}.
    function earmark(uint256 receivableId, uint96 amount) external returns (uint256 lotId);

    /// @notice Frees an unpledged lot: its amount returns to the holder's free amount. A lot whose
    /// holder was settled and closed is simply dissolved.
    /// @dev Requirements: caller the lot's holder ({NotLotHolder}), an active member; lot not pledged
    /// ({LotAlreadyPledged}). Emits {LotReleased}.
    function releaseLot(uint256 lotId) external;

    /// @notice Offers `amount` of the caller's free amount to `financier` for `price` (minor units of
    /// the receivable's currency). The amount stays free until the financier accepts.
    /// @dev Requirements: caller an active member; `financier` an active FINANCIER other than the caller
    /// ({InvalidFinancier}); 0 < price <= amount ({InvalidPrice}); amount at most the free amount;
    /// receivable transferable. Emits {SaleOffered}.
    function offerSale(uint256 receivableId, address financier, uint96 amount, uint96 price)
        external
        returns (uint256 saleId);

    /// @notice The financier buys: the amount moves to it. Payment of the price happens off-chain.
    /// @dev Requirements: caller the sale's financier ({NotSaleFinancier}), an active FINANCIER; every
    /// check of a transfer from the seller (free amount re-checked). Emits {TransferSingle} and
    /// {ReceivableSold}.
    function acceptSale(uint256 saleId) external;

    /// @notice The seller withdraws an open sale offer.
    /// @dev Requirements: caller the seller ({NotSeller}). Emits {SaleWithdrawn}.
    function withdrawSale(uint256 saleId) external;

    /// @notice The debtor (or its payment agent) records a payment; early payment is fine. From the
    /// first payment on, the receivable is in settlement and its holdings are fixed. O(1).
    /// @dev Requirements: caller the debtor or its payment agent ({NotPayer}), an active member;
    /// status Confirmed; amount > 0; paid + amount <= faceValue ({PaymentExceedsOutstanding}).
    /// Emits {PaymentRecorded}.
    function recordPayment(uint256 receivableId, uint96 amount, bytes32 referenceHash) external;

    /// @notice Settles each listed holder's pro-rata share of the payments so far: balance * paid /
    /// faceValue (rounded down) less what it was settled before; when fully paid, exactly its balance,
    /// after which its balance is burned and it is closed. Anyone may call (a keeper, the debtor).
    /// Holders listed twice, holders with nothing due and non-holders are skipped, so lists in any
    /// order and repeated lists are harmless.
    /// @dev Gas is linear in `holders.length` (about one balance, one settled and one earmark slot per
    /// holder), never in the total number of holders: split a long register into batches.
    /// Requirements: status Confirmed; a payment recorded ({NothingPaid}); not frozen or disputed.
    /// Emits {HolderSettled} per holder with an amount due, {TransferSingle} and {HolderClosed} per
    /// closed holder, and {ReceivableSettled} when the last unit is burned (status Settled).
    function settleHolders(uint256 receivableId, address[] calldata holders) external;

    /// @notice Confirmed, not fully paid, and past the due date plus grace.
    function isOverdue(uint256 receivableId) external view returns (bool);

    /// @notice The receivable with its computed facts. Reverts {UnknownReceivable}.
    function receivableOf(uint256 receivableId) external view returns (ReceivableView memory);

    /// @notice `holder`'s balance less its earmarked amount.
    function freeAmountOf(uint256 receivableId, address holder) external view returns (uint256);

    /// @notice The sum of `holder`'s lots of the receivable.
    function earmarkedOf(uint256 receivableId, address holder) external view returns (uint256);

    /// @notice A lot (reverts {UnknownLot}).
    function lotOf(uint256 lotId) external view returns (Lot memory);

    /// @notice An open sale offer (reverts {UnknownSale}).
    function saleOf(uint256 saleId) external view returns (Sale memory);

    /// @notice What `holder` was settled so far.
    function settledOf(uint256 receivableId, address holder) external view returns (uint256);

    /// @notice The receivable registered for an invoice (0 if none).
    function receivableIdOfInvoice(bytes32 invoiceHash) external view returns (uint256);

    /// @notice The number of receivables registered (the last id).
    function receivableCount() external view returns (uint256);
}
