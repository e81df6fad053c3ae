// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ICollateral} from "../finance/ICollateral.sol";
import {IProvenanceLedger} from "../provenance/IProvenanceLedger.sol";

/// @title Electronic warehouse receipts (ERC-721, transfer-restricted)
/// @notice A receipt is title to one batch of goods stored by a WAREHOUSE member. It follows ERC-721
/// (one token per receipt; `Transfer`, `ownerOf`, `balanceOf`, approvals, safe transfers) with these
/// deviations, each of which makes a transfer revert: the holder and the recipient must be active
/// members; a pledged, frozen, expired or redemption-pending receipt does not move. Besides, tokens
/// are minted only by the warehouse that holds the goods ({issue}) or when a receipt is split
/// ({split}, {ICollateral-releasePart}), and burned only by redemption ({confirmRedemption}).
/// @dev One receipt covers exactly one batch of the {IProvenanceLedger}: issuing for part of a batch
/// splits the batch, and the receipt's batch is locked in the ledger for as long as the receipt lives
/// (it cannot be shipped, transformed or receipted again). The quantity, unit, product and custodian
/// of a receipt are therefore those of its batch. The collateral key of a receipt is that of its
/// batch, `keccak256(abi.encode("tracefin.goods", ledger, batchId))`.
interface IWarehouseReceipt is ICollateral {
    /// @notice Flags and dates of a receipt, one storage slot.
    struct Receipt {
        uint64 batchId;
        uint64 issuedAt;
        uint64 expiresAt;
        bool pledged;
        bool frozen;
        bool redemptionRequested;
    }

    /// @notice What a warehouse states when it issues a receipt.
    struct Issuance {
        uint256 batchId;
        uint96 quantity;
        address holder;
        uint64 expiresAt;
        uint96 insuredValue;
        bytes3 insuranceCurrency;
        bytes32 policyHash;
        bytes32 documentHash;
        string location;
    }

    /// @notice A receipt with the facts of its batch.
    struct ReceiptView {
        address holder;
        address warehouse;
        uint256 batchId;
        uint96 quantity;
        bytes3 unit;
        IProvenanceLedger.BatchStatus batchStatus;
        uint64 issuedAt;
        uint64 expiresAt;
        bool pledged;
        bool frozen;
        bool redemptionRequested;
    }

    error UnknownReceipt(uint256 receiptId);
    error NotHolder(uint256 receiptId, address caller, address holder);
    error NotIssuingWarehouse(uint256 receiptId, address caller, address warehouse);
    error ReceiptIsPledged(uint256 receiptId);
    /// @notice The lien registry asked to unlock, seize or partly release a receipt that is not pledged.
    error ReceiptNotPledged(uint256 receiptId);
    error ReceiptIsFrozen(uint256 receiptId);
    error ReceiptNotFrozen(uint256 receiptId);
    error ReceiptExpired(uint256 receiptId, uint64 expiresAt);
    error RedemptionPending(uint256 receiptId);
    error NoRedemptionRequested(uint256 receiptId);
    error InvalidExpiry(uint64 expiresAt);
    error InvalidSplit(uint256 receiptId);
    error InvalidCurrency(bytes3 currency);
    /// @notice The holder and the recipient of a transfer must both be active members.
    error TransferToNonMember(address to);

    event ReceiptIssued(
        uint256 indexed receiptId,
        uint256 indexed batchId,
        address indexed warehouse,
        address holder,
        uint96 quantity,
        bytes3 unit,
        uint64 expiresAt,
        uint96 insuredValue,
        bytes3 insuranceCurrency,
        bytes32 policyHash,
        bytes32 documentHash,
        string location
    );
    /// @notice `receiptId` was split (by its holder, or by a partial release of its pledge): it keeps
    /// `keptQuantity`; new receipt `newReceiptIds[i]` covers new child batch `newBatchIds[i]` holding
    /// `quantities[i]`, with the same holder and expiry.
    event ReceiptSplit(
        uint256 indexed receiptId,
        uint96 keptQuantity,
        uint256[] newReceiptIds,
        uint256[] newBatchIds,
        uint96[] quantities
    );
    event RedemptionRequested(uint256 indexed receiptId, address indexed holder);
    event RedemptionCancelled(uint256 indexed receiptId, address indexed holder);
    /// @notice The goods left the warehouse: the receipt is burned and custody of its batch moved to `holder`.
    event ReceiptRedeemed(uint256 indexed receiptId, uint256 indexed batchId, address indexed holder, bytes32 documentHash);
    /// @notice The warehouse checked the goods (weighing, count, camera) and anchored the record.
    event InventoryAttested(uint256 indexed receiptId, address indexed warehouse, bytes32 checkHash);
    event ReceiptFrozen(uint256 indexed receiptId, address indexed regulator, bytes32 reasonHash);
    event ReceiptUnfrozen(uint256 indexed receiptId, address indexed regulator, bytes32 reasonHash);
    event ReceiptExtended(uint256 indexed receiptId, uint64 expiresAt);
    event InsuranceUpdated(uint256 indexed receiptId, uint96 insuredValue, bytes3 currency, bytes32 policyHash);
    event PledgeStatusChanged(uint256 indexed receiptId, bool pledged);

    /// @notice An active WAREHOUSE, custodian of an active batch, issues a receipt for `quantity` of it
    /// to `holder` (an active member, usually the depositor). A quantity below the batch's splits it.
    /// @dev Requirements: caller an active WAREHOUSE ({IMemberRegistry-MissingRole}); `holder` an active
    /// member; `expiresAt` zero (no term) or in the future ({InvalidExpiry}); no insurance (value,
    /// currency and policy all zero) or a valid ISO 4217 currency ({InvalidCurrency}); and what
    /// {IProvenanceLedger-lockForReceipt} asks: the caller holds the batch, active, not under another
    /// receipt, with at least `quantity`. Emits {IProvenanceLedger-BatchSplit} (partial only),
    /// {Transfer} (mint) and {ReceiptIssued}.
    /// @return receiptId The new token.
    /// @return receiptBatchId The batch the receipt covers (a child batch when issuing for part).
    function issue(Issuance calldata issuance) external returns (uint256 receiptId, uint256 receiptBatchId);

    /// @notice The holder splits an unpledged receipt: it keeps the remainder, each of `quantities`
    /// becomes a new receipt on a new child batch. The quantities sum with the remainder to the original.
    /// @dev Requirements: caller the holder ({NotHolder}), an active member; receipt not pledged,
    /// frozen, redemption-pending or expired; at least one quantity, each > 0, summing to less than the
    /// receipt's quantity ({InvalidSplit}). New receipts have the holder and expiry of the original.
    /// Emits {IProvenanceLedger-BatchSplit} and {Transfer} (mint) per new receipt, then {ReceiptSplit}.
    function split(uint256 receiptId, uint96[] calldata quantities) external returns (uint256[] memory newReceiptIds);

    /// @notice The holder asks the warehouse to release the goods.
    /// @dev Requirements: caller the holder, an active member; receipt not pledged or frozen, no request
    /// pending ({RedemptionPending}). An expired receipt may be redeemed. Emits {RedemptionRequested}.
    function requestRedemption(uint256 receiptId) external;

    /// @notice The holder withdraws its redemption request.
    /// @dev Requirements: caller the holder, an active member; receipt not frozen; a request pending
    /// ({NoRedemptionRequested}). Emits {RedemptionCancelled}.
    function cancelRedemption(uint256 receiptId) external;

    /// @notice The warehouse confirms the goods left: burns the receipt, custody moves to the holder.
    /// @dev Requirements: caller the warehouse holding the goods ({NotIssuingWarehouse}), an active
    /// WAREHOUSE; a request pending; receipt not frozen; the batch not on hold or recalled and the holder
    /// an active member (checked by {IProvenanceLedger-releaseFromReceipt}). Emits {Transfer} (burn),
    /// {IProvenanceLedger-BatchShipped} and {IProvenanceLedger-BatchReceived} (unless the holder is the
    /// warehouse), then {ReceiptRedeemed}.
    function confirmRedemption(uint256 receiptId, bytes32 documentHash) external;

    /// @notice The warehouse records an inventory check of the goods under `receiptId`.
    /// @dev Requirements: caller the warehouse, an active WAREHOUSE. Emits {InventoryAttested}.
    function attest(uint256 receiptId, bytes32 checkHash) external;

    /// @notice The warehouse extends the storage term of a receipt.
    /// @dev Requirements: caller the warehouse, an active WAREHOUSE; the receipt has a term and
    /// `expiresAt` is later than both now and that term ({InvalidExpiry}). Emits {ReceiptExtended}.
    function extend(uint256 receiptId, uint64 expiresAt) external;

    /// @notice The warehouse records a new or renewed insurance policy for the goods.
    /// @dev Requirements: caller the warehouse, an active WAREHOUSE; insurance as for {issue}.
    /// Emits {InsuranceUpdated}.
    function updateInsurance(uint256 receiptId, uint96 insuredValue, bytes3 currency, bytes32 policyHash) external;

    /// @notice A REGULATOR freezes a receipt (judicial freeze): nothing moves until unfrozen.
    /// @dev Requirements: caller an active REGULATOR; receipt not frozen ({ReceiptIsFrozen}). A frozen
    /// receipt cannot be transferred, split, pledged, seized, partly released or redeemed; its lien
    /// can still be released. Emits {ReceiptFrozen}.
    function freeze(uint256 receiptId, bytes32 reasonHash) external;

    /// @notice A REGULATOR lifts a freeze.
    /// @dev Requirements: caller an active REGULATOR; receipt frozen ({ReceiptNotFrozen}).
    /// Emits {ReceiptUnfrozen}.
    function unfreeze(uint256 receiptId, bytes32 reasonHash) external;

    /// @notice A receipt with its batch's current quantity, unit, custodian and status (which shows a
    /// hold or recall of the goods). Reverts with {UnknownReceipt} for a receipt never issued or redeemed.
    function receiptOf(uint256 receiptId) external view returns (ReceiptView memory);

    /// @notice The provenance ledger whose batches the receipts cover.
    function ledger() external view returns (IProvenanceLedger);
}
