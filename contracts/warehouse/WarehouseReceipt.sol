// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {ICollateral} from "../finance/ICollateral.sol";
import {IMemberRegistry} from "../members/IMemberRegistry.sol";
import {Roles} from "../members/Roles.sol";
import {IProvenanceLedger} from "../provenance/IProvenanceLedger.sol";
import {TradeCodes} from "../provenance/TradeCodes.sol";
import {IWarehouseReceipt} from "./IWarehouseReceipt.sol";

/// @title WarehouseReceipt
/// @notice Electronic warehouse receipts: title to one batch of goods in a member warehouse, as an
/// ERC-721 token ("TraceFin Warehouse Receipt", TFWR) that can be pledged through the lien registry.
/// It follows ERC-721 (`Transfer`, `ownerOf`, `balanceOf`, approvals, `safeTransferFrom`) with these
/// deviations, each of which makes a transfer revert: the holder and the recipient must be active
/// members ({IMemberRegistry-MissingRole}, {TransferToNonMember}); a pledged, frozen, expired or
/// redemption-pending receipt does not move; tokens are minted only by {issue} (the warehouse holding
/// the goods), {split} and {releasePart}, and burned only by {confirmRedemption}.
/// `multicall` (OpenZeppelin {Multicall}) lets a warehouse issue or attest many receipts in one
/// transaction.
/// @dev Every change of holder goes through the one {_update} override, which enforces the
/// restrictions; enforcement ({seize}) clears the pledge first and so passes the same checks. Tokens
/// are minted and moved internally without ERC-721 receiver hooks, so no call here hands control to a
/// holder or buyer. Quantity, unit, status and warehouse of a receipt are read from its ledger batch,
/// which the ledger keeps locked in the warehouse for as long as the receipt lives.
contract WarehouseReceipt is IWarehouseReceipt, ERC721, Multicall {
    /// @notice The consortium member registry every write is checked against.
    IMemberRegistry public immutable registry;
    /// @inheritdoc IWarehouseReceipt
    IProvenanceLedger public immutable ledger;
    /// @notice The lien registry, the only caller of the {ICollateral} functions that change state.
    address public immutable lienRegistry;

    uint256 private _receiptCount;
    mapping(uint256 receiptId => Receipt) private _receipts;
    /// @dev Set while {seize} moves a receipt, whose checks differ from a transfer's (EIP-1153: nothing
    /// is left in storage after the call).
    bool private transient _seizing;

    constructor(IMemberRegistry memberRegistry, IProvenanceLedger provenanceLedger, address lienRegistry_)
        ERC721("TraceFin Warehouse Receipt", "TFWR")
    {
        registry = memberRegistry;
        ledger = provenanceLedger;
        lienRegistry = lienRegistry_;
    }

    modifier onlyLienRegistry() {
        if (msg.sender != lienRegistry) revert NotLienRegistry(msg.sender);
        _;
    }

    // ---- warehouse ----------------------------------------------------------------------------

    /// @inheritdoc IWarehouseReceipt
    function issue(Issuance calldata issuance) external returns (uint256 receiptId, uint256 receiptBatchId) {
        registry.requireActiveRole(msg.sender, Roles.WAREHOUSE);
        registry.requireActiveRole(issuance.holder, Roles.ANY_MEMBER);
        if (issuance.expiresAt != 0 && issuance.expiresAt <= block.timestamp) revert InvalidExpiry(issuance.expiresAt);
        _requireValidInsurance(issuance.insuredValue, issuance.insuranceCurrency, issuance.policyHash);

        receiptBatchId = ledger.lockForReceipt(issuance.batchId, msg.sender, issuance.quantity);
        receiptId = _mintReceipt(issuance.holder, receiptBatchId, issuance.expiresAt);
        _emitReceiptIssued(receiptId, receiptBatchId, issuance);
    }

    /// @inheritdoc IWarehouseReceipt
    function confirmRedemption(uint256 receiptId, bytes32 documentHash) external {
        Receipt storage receipt = _receiptKeptByCaller(receiptId);
        if (!receipt.redemptionRequested) revert NoRedemptionRequested(receiptId);
        if (receipt.frozen) revert ReceiptIsFrozen(receiptId);
        uint256 batchId = receipt.batchId;
        address holder = _ownerOf(receiptId);

        delete _receipts[receiptId];
        _burn(receiptId);
        ledger.releaseFromReceipt(batchId, holder, documentHash);
        emit ReceiptRedeemed(receiptId, batchId, holder, documentHash);
    }

    /// @inheritdoc IWarehouseReceipt
    function attest(uint256 receiptId, bytes32 checkHash) external {
        _receiptKeptByCaller(receiptId);
        emit InventoryAttested(receiptId, msg.sender, checkHash);
    }

    /// @inheritdoc IWarehouseReceipt
    function extend(uint256 receiptId, uint64 expiresAt) external {
        Receipt storage receipt = _receiptKeptByCaller(receiptId);
        uint64 current = receipt.expiresAt;
        // A receipt without a term (0) cannot be extended: any date would shorten it.
        if (current == 0 || expiresAt <= current || expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt);
        receipt.expiresAt = expiresAt;
        emit ReceiptExtended(receiptId, expiresAt);
    }

    /// @inheritdoc IWarehouseReceipt
    function updateInsurance(uint256 receiptId, uint96 insuredValue, bytes3 currency, bytes32 policyHash) external {
        _receiptKeptByCaller(receiptId);
        _requireValidInsurance(insuredValue, currency, policyHash);
        emit InsuranceUpdated(receiptId, insuredValue, currency, policyHash);
    }

    // ---- holder -------------------------------------------------------------------------------

    /// @inheritdoc IWarehouseReceipt
    function split(uint256 receiptId, uint96[] calldata quantities) external returns (uint256[] memory newReceiptIds) {
        Receipt storage receipt = _receiptHeldByCaller(receiptId);
        _requireFree(receiptId, receipt);
        return _splitOff(receiptId, receipt, msg.sender, quantities);
    }

    /// @inheritdoc IWarehouseReceipt
    function requestRedemption(uint256 receiptId) external {
        Receipt storage receipt = _receiptHeldByCaller(receiptId);
        _requireUnencumbered(receiptId, receipt);
        if (receipt.redemptionRequested) revert RedemptionPending(receiptId);
        receipt.redemptionRequested = true;
        emit RedemptionRequested(receiptId, msg.sender);
    }

    /// @inheritdoc IWarehouseReceipt
    function cancelRedemption(uint256 receiptId) external {
        Receipt storage receipt = _receiptHeldByCaller(receiptId);
        _requireUnencumbered(receiptId, receipt);
        if (!receipt.redemptionRequested) revert NoRedemptionRequested(receiptId);
        receipt.redemptionRequested = false;
        emit RedemptionCancelled(receiptId, msg.sender);
    }

    // ---- regulator ----------------------------------------------------------------------------

    /// @inheritdoc IWarehouseReceipt
    function freeze(uint256 receiptId, bytes32 reasonHash) external {
        Receipt storage receipt = _receiptGovernedByCaller(receiptId);
        if (receipt.frozen) revert ReceiptIsFrozen(receiptId);
        receipt.frozen = true;
        emit ReceiptFrozen(receiptId, msg.sender, reasonHash);
    }

    /// @inheritdoc IWarehouseReceipt
    function unfreeze(uint256 receiptId, bytes32 reasonHash) external {
        Receipt storage receipt = _receiptGovernedByCaller(receiptId);
        if (!receipt.frozen) revert ReceiptNotFrozen(receiptId);
        receipt.frozen = false;
        emit ReceiptUnfrozen(receiptId, msg.sender, reasonHash);
    }

    // ---- lien registry (ICollateral) ----------------------------------------------------------

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; receipt exists, not pledged, frozen,
    /// redemption-pending or expired. Emits {PledgeStatusChanged}.
    function lock(uint256 receiptId) external onlyLienRegistry {
        Receipt storage receipt = _existingReceipt(receiptId);
        _requireFree(receiptId, receipt);
        _setPledged(receiptId, receipt, true);
    }

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; receipt pledged ({ReceiptNotPledged}). Allowed
    /// while frozen: ending a lien moves no goods. Emits {PledgeStatusChanged}.
    function unlock(uint256 receiptId) external onlyLienRegistry {
        _setPledged(receiptId, _pledgedReceipt(receiptId), false);
    }

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; receipt pledged and not frozen ({ReceiptIsFrozen});
    /// `to` an active member ({TransferToNonMember}). Enforcement is the lender's remedy for a default:
    /// unlike a transfer, it is not stopped by the borrower's suspension or revocation (often the very
    /// reason for the default) nor by the end of the storage term (the goods are still there); only a
    /// judicial freeze stops it. Emits {PledgeStatusChanged} and {Transfer}.
    function seize(uint256 receiptId, address to) external onlyLienRegistry {
        Receipt storage receipt = _pledgedReceipt(receiptId);
        if (receipt.frozen) revert ReceiptIsFrozen(receiptId);
        if (!registry.isActiveMember(to)) revert TransferToNonMember(to);
        _setPledged(receiptId, receipt, false);
        _seizing = true;
        _transfer(_ownerOf(receiptId), to, receiptId);
        _seizing = false;
    }

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; receipt pledged and not frozen;
    /// 0 < quantity < the receipt's quantity ({InvalidSplit}). The new receipt is free, with the
    /// holder and expiry of the pledged one. Emits as {split} does.
    function releasePart(uint256 receiptId, uint256 quantity) external onlyLienRegistry returns (uint256 releasedId) {
        Receipt storage receipt = _pledgedReceipt(receiptId);
        if (receipt.frozen) revert ReceiptIsFrozen(receiptId);
        if (quantity > type(uint96).max) revert InvalidSplit(receiptId);
        uint96[] memory quantities = new uint96[](1);
        quantities[0] = uint96(quantity);
        return _splitOff(receiptId, receipt, _ownerOf(receiptId), quantities)[0];
    }

    /// @inheritdoc ICollateral
    function collateralKey(uint256 receiptId) external view returns (bytes32) {
        return keccak256(abi.encode("tracefin.goods", address(ledger), _existingReceipt(receiptId).batchId));
    }

    /// @inheritdoc ICollateral
    function collateralHolder(uint256 receiptId) external view returns (address) {
        _existingReceipt(receiptId);
        return _ownerOf(receiptId);
    }

    // ---- views --------------------------------------------------------------------------------

    /// @inheritdoc IWarehouseReceipt
    function receiptOf(uint256 receiptId) external view returns (ReceiptView memory) {
        Receipt memory receipt = _existingReceipt(receiptId);
        IProvenanceLedger.Batch memory batch = ledger.batchOf(receipt.batchId);
        return ReceiptView({
            holder: _ownerOf(receiptId),
            warehouse: batch.custodian,
            batchId: receipt.batchId,
            quantity: batch.quantity,
            unit: batch.unit,
            batchStatus: batch.status,
            issuedAt: receipt.issuedAt,
            expiresAt: receipt.expiresAt,
            pledged: receipt.pledged,
            frozen: receipt.frozen,
            redemptionRequested: receipt.redemptionRequested
        });
    }

    /// @notice ERC-165: ERC-721, ERC-721 metadata, {ICollateral} and {IWarehouseReceipt}.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IWarehouseReceipt).interfaceId || interfaceId == type(ICollateral).interfaceId
            || super.supportsInterface(interfaceId);
    }

    // ---- internals ----------------------------------------------------------------------------

    /// @dev The one place a receipt changes holder. Mints and burns pass; a transfer (including a
    /// seizure) must meet every restriction after ERC-721's own ownership and approval checks.
    function _update(address to, uint256 receiptId, address auth) internal override returns (address from) {
        from = super._update(to, receiptId, auth);
        // {seize} checked what enforcement requires before moving the receipt.
        if (from != address(0) && to != address(0) && !_seizing) _requireTransferable(receiptId, from, to);
    }

    function _requireTransferable(uint256 receiptId, address from, address to) private view {
        _requireFree(receiptId, _receipts[receiptId]);
        registry.requireActiveRole(from, Roles.ANY_MEMBER);
        if (!registry.isActiveMember(to)) revert TransferToNonMember(to);
    }

    /// @dev Stores and mints a new receipt over a batch the ledger has just locked.
    function _mintReceipt(address holder, uint256 batchId, uint64 expiresAt) private returns (uint256 receiptId) {
        receiptId = ++_receiptCount;
        _receipts[receiptId] = Receipt({
            // Ledger batch ids fit in 64 bits: the ledger stores parent ids as uint64.
            batchId: uint64(batchId),
            issuedAt: uint64(block.timestamp),
            expiresAt: expiresAt,
            pledged: false,
            frozen: false,
            redemptionRequested: false
        });
        _mint(holder, receiptId);
    }

    /// @dev Splits each of `quantities` off the receipt's batch into a new locked child batch under a
    /// new receipt for `holder`; the receipt keeps the rest.
    function _splitOff(uint256 receiptId, Receipt storage receipt, address holder, uint96[] memory quantities)
        private
        returns (uint256[] memory newReceiptIds)
    {
        uint256 batchId = receipt.batchId;
        uint96 kept = _remainderAfterSplit(receiptId, batchId, quantities);
        uint64 expiresAt = receipt.expiresAt;
        newReceiptIds = new uint256[](quantities.length);
        uint256[] memory newBatchIds = new uint256[](quantities.length);
        for (uint256 i; i < quantities.length; ++i) {
            newBatchIds[i] = ledger.splitLocked(batchId, quantities[i]);
            newReceiptIds[i] = _mintReceipt(holder, newBatchIds[i], expiresAt);
        }
        emit ReceiptSplit(receiptId, kept, newReceiptIds, newBatchIds, quantities);
    }

    /// @dev What the batch keeps after `quantities` are split off; every part must be non-zero and
    /// something must be left for the original receipt.
    function _remainderAfterSplit(uint256 receiptId, uint256 batchId, uint96[] memory quantities)
        private
        view
        returns (uint96)
    {
        if (quantities.length == 0) revert InvalidSplit(receiptId);
        uint256 total;
        for (uint256 i; i < quantities.length; ++i) {
            if (quantities[i] == 0) revert InvalidSplit(receiptId);
            total += quantities[i];
        }
        uint96 quantity = ledger.batchOf(batchId).quantity;
        if (total >= quantity) revert InvalidSplit(receiptId);
        // Cannot underflow: total < quantity was checked above.
        unchecked {
            return quantity - uint96(total);
        }
    }

    function _setPledged(uint256 receiptId, Receipt storage receipt, bool pledged) private {
        receipt.pledged = pledged;
        emit PledgeStatusChanged(receiptId, pledged);
    }

    /// @dev Emits {ReceiptIssued}; a function of its own keeps {issue}'s stack small.
    function _emitReceiptIssued(uint256 receiptId, uint256 batchId, Issuance calldata issuance) private {
        emit ReceiptIssued(
            receiptId,
            batchId,
            msg.sender,
            issuance.holder,
            issuance.quantity,
            ledger.batchOf(batchId).unit,
            issuance.expiresAt,
            issuance.insuredValue,
            issuance.insuranceCurrency,
            issuance.policyHash,
            issuance.documentHash,
            issuance.location
        );
    }

    function _existingReceipt(uint256 receiptId) private view returns (Receipt storage receipt) {
        receipt = _receipts[receiptId];
        // Every live receipt has a non-zero issue time; a redeemed one is deleted.
        if (receipt.issuedAt == 0) revert UnknownReceipt(receiptId);
    }

    function _pledgedReceipt(uint256 receiptId) private view returns (Receipt storage receipt) {
        receipt = _existingReceipt(receiptId);
        if (!receipt.pledged) revert ReceiptNotPledged(receiptId);
    }

    /// @dev A receipt whose holder is the caller, an active member.
    function _receiptHeldByCaller(uint256 receiptId) private view returns (Receipt storage receipt) {
        receipt = _existingReceipt(receiptId);
        address holder = _ownerOf(receiptId);
        if (holder != msg.sender) revert NotHolder(receiptId, msg.sender, holder);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
    }

    /// @dev A receipt whose goods the caller, an active WAREHOUSE, holds. While a receipt lives its
    /// batch cannot leave the warehouse, so the batch's custodian is the issuing warehouse.
    function _receiptKeptByCaller(uint256 receiptId) private view returns (Receipt storage receipt) {
        receipt = _existingReceipt(receiptId);
        address warehouse = ledger.batchOf(receipt.batchId).custodian;
        if (warehouse != msg.sender) revert NotIssuingWarehouse(receiptId, msg.sender, warehouse);
        registry.requireActiveRole(msg.sender, Roles.WAREHOUSE);
    }

    /// @dev A receipt the caller, an active REGULATOR, may freeze or unfreeze.
    function _receiptGovernedByCaller(uint256 receiptId) private view returns (Receipt storage receipt) {
        registry.requireActiveRole(msg.sender, Roles.REGULATOR);
        receipt = _existingReceipt(receiptId);
    }

    /// @dev Neither pledged nor frozen: the holder may dispose of the receipt.
    function _requireUnencumbered(uint256 receiptId, Receipt storage receipt) private view {
        if (receipt.pledged) revert ReceiptIsPledged(receiptId);
        if (receipt.frozen) revert ReceiptIsFrozen(receiptId);
    }

    /// @dev Unencumbered, not being redeemed and within its term: the receipt may move or be split.
    function _requireFree(uint256 receiptId, Receipt storage receipt) private view {
        _requireUnencumbered(receiptId, receipt);
        if (receipt.redemptionRequested) revert RedemptionPending(receiptId);
        uint64 expiresAt = receipt.expiresAt;
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert ReceiptExpired(receiptId, expiresAt);
    }

    /// @dev No insurance (all zero), or an insurance stated in an ISO 4217 currency.
    function _requireValidInsurance(uint96 insuredValue, bytes3 currency, bytes32 policyHash) private pure {
        if (insuredValue == 0 && currency == bytes3(0) && policyHash == bytes32(0)) return;
        if (!TradeCodes.isValidCurrency(currency)) revert InvalidCurrency(currency);
    }
}
