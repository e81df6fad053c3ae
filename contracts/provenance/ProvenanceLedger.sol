// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IMemberRegistry} from "../members/IMemberRegistry.sol";
import {Roles} from "../members/Roles.sol";
import {IProvenanceLedger} from "./IProvenanceLedger.sol";
import {TradeCodes} from "./TradeCodes.sol";

/// @title ProvenanceLedger
/// @notice Where goods come from and where they went: products, batches, two-step custody handover,
/// inspections and readings, transformations with their lineage, holds and recalls, retirement, and bulk
/// anchoring of off-chain events. Every write is authorized by the shared {IMemberRegistry}.
/// `multicall` (OpenZeppelin {Multicall}) lets a member batch many operations in one transaction,
/// e.g. a packing line commissioning a shift's lots; each call keeps the member as `msg.sender`.
/// A batch under a warehouse receipt is locked: it stays in the warehouse (no ship, no transform)
/// until the receipt contract releases it; holds and recalls still apply to it.
contract ProvenanceLedger is IProvenanceLedger, Multicall {
    /// @notice The consortium member registry every write is checked against.
    IMemberRegistry public immutable registry;
    /// @inheritdoc IProvenanceLedger
    address public immutable warehouseReceipts;

    uint256 private _batchCount;
    uint256 private _transformationCount;
    mapping(uint64 gtin => address registrant) private _productRegistrants;
    mapping(uint256 batchId => Batch) private _batches;
    /// @dev submitter (bits 0-159) | anchoredAt (160-223) | eventCount (224-255): one slot per root.
    mapping(bytes32 root => uint256 packedAnchor) private _anchors;

    /// @param warehouseReceipts_ The warehouse-receipt contract, the only caller of the receipt locks.
    /// It is deployed after the ledger (it needs the ledger's address), so the deployer passes its
    /// predicted address; zero disables warehouse receipts.
    constructor(IMemberRegistry memberRegistry, address warehouseReceipts_) {
        registry = memberRegistry;
        warehouseReceipts = warehouseReceipts_;
    }

    /// @dev Only the receipt contract moves a batch into or out of a receipt lock.
    modifier onlyWarehouseReceipts() {
        if (msg.sender != warehouseReceipts) revert NotWarehouseReceipts(msg.sender);
        _;
    }

    /// @inheritdoc IProvenanceLedger
    function registerProduct(uint64 gtin, string calldata hsCode, string calldata name, string calldata uri)
        external
    {
        registry.requireActiveRole(msg.sender, Roles.ENTERPRISE);
        if (!TradeCodes.isValidGtin(gtin)) revert InvalidGtin(gtin);
        if (!TradeCodes.isValidHsCode(hsCode)) revert InvalidHsCode(hsCode);
        if (_productRegistrants[gtin] != address(0)) revert ProductAlreadyRegistered(gtin);
        _productRegistrants[gtin] = msg.sender;
        emit ProductRegistered(gtin, msg.sender, hsCode, name, uri);
    }

    /// @inheritdoc IProvenanceLedger
    function commission(
        uint64 gtin,
        string calldata lot,
        uint96 quantity,
        bytes3 unit,
        uint32 originRegion,
        uint64 producedAt,
        bytes32 documentHash
    ) external returns (uint256 batchId) {
        registry.requireActiveRole(msg.sender, Roles.ENTERPRISE);
        if (producedAt > block.timestamp) revert ProductionTimeInFuture(producedAt, block.timestamp);
        batchId = _createBatch(gtin, quantity, unit, originRegion);
        emit BatchCommissioned(batchId, gtin, msg.sender, quantity, unit, originRegion, producedAt, documentHash, 0, lot);
    }

    /// @inheritdoc IProvenanceLedger
    function ship(uint256 batchId, address to, uint96 quantity, address carrier, bytes32 documentHash)
        external
        returns (uint256 shippedId)
    {
        Batch storage batch = _usableBatchHeldByCaller(batchId);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        if (to == msg.sender) revert ShipmentToSelf(batchId);
        registry.requireActiveRole(to, Roles.ANY_MEMBER);
        if (carrier != address(0) && !registry.hasActiveRole(carrier, Roles.LOGISTICS)) revert InvalidCarrier(carrier);
        _requireAvailable(batchId, batch, quantity);

        shippedId = batchId;
        if (quantity < batch.quantity) {
            shippedId = _split(batchId, batch, quantity);
            batch = _batches[shippedId];
        }
        batch.status = BatchStatus.InTransit;
        batch.pendingRecipient = to;
        emit BatchShipped(shippedId, msg.sender, to, quantity, carrier, documentHash);
    }

    /// @inheritdoc IProvenanceLedger
    function receiveShipment(uint256 batchId) external {
        Batch storage batch = _shipmentAddressedToCaller(batchId);
        address from = batch.custodian;
        batch.custodian = msg.sender;
        _closeShipment(batch);
        emit BatchReceived(batchId, from, msg.sender);
    }

    /// @inheritdoc IProvenanceLedger
    function rejectShipment(uint256 batchId, bytes32 reasonHash) external {
        Batch storage batch = _shipmentAddressedToCaller(batchId);
        _closeShipment(batch);
        emit ShipmentRejected(batchId, batch.custodian, msg.sender, reasonHash);
    }

    /// @inheritdoc IProvenanceLedger
    function cancelShipment(uint256 batchId, bytes32 reasonHash) external {
        Batch storage batch = _existingBatch(batchId);
        if (batch.status != BatchStatus.InTransit) revert BatchNotInTransit(batchId);
        if (batch.custodian != msg.sender) revert NotCustodian(batchId, msg.sender, batch.custodian);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        address recipient = batch.pendingRecipient;
        _closeShipment(batch);
        emit ShipmentCancelled(batchId, msg.sender, recipient, reasonHash);
    }

    /// @inheritdoc IProvenanceLedger
    function recordInspection(uint256 batchId, bool passed, bytes32 certificateHash) external {
        registry.requireActiveRole(msg.sender, Roles.INSPECTOR);
        _existingBatch(batchId);
        emit InspectionRecorded(batchId, msg.sender, passed, certificateHash);
    }

    /// @inheritdoc IProvenanceLedger
    function recordReading(uint256 batchId, bytes32 readingHash) external {
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        _existingBatch(batchId);
        emit ReadingRecorded(batchId, msg.sender, readingHash);
    }

    /// @inheritdoc IProvenanceLedger
    function transform(
        TransformationInput[] calldata inputs,
        TransformationOutput[] calldata outputs,
        bytes32 documentHash
    ) external returns (uint256 transformationId, uint256[] memory outputIds) {
        if (inputs.length == 0 || outputs.length == 0) revert EmptyTransformation();
        registry.requireActiveRole(msg.sender, Roles.ENTERPRISE);
        (uint256[] memory inputIds, uint96[] memory inputQuantities) = _consumeInputs(inputs);

        transformationId = ++_transformationCount;
        outputIds = new uint256[](outputs.length);
        for (uint256 i; i < outputs.length; ++i) {
            TransformationOutput calldata output = outputs[i];
            outputIds[i] = _createBatch(output.gtin, output.quantity, output.unit, output.originRegion);
            emit BatchCommissioned(
                outputIds[i],
                output.gtin,
                msg.sender,
                output.quantity,
                output.unit,
                output.originRegion,
                uint64(block.timestamp),
                documentHash,
                transformationId,
                output.lot
            );
        }
        emit BatchesTransformed(transformationId, msg.sender, inputIds, inputQuantities, outputIds, documentHash);
    }

    /// @inheritdoc IProvenanceLedger
    function hold(uint256 batchId, bytes32 reasonHash) external {
        Batch storage batch = _batchGovernedByCaller(batchId);
        _requireActive(batchId, batch.status);
        batch.status = BatchStatus.OnHold;
        emit HoldPlaced(batchId, msg.sender, reasonHash);
    }

    /// @inheritdoc IProvenanceLedger
    function releaseHold(uint256 batchId, bytes32 reasonHash) external {
        Batch storage batch = _batchGovernedByCaller(batchId);
        if (batch.status != BatchStatus.OnHold) revert BatchNotOnHold(batchId);
        batch.status = BatchStatus.Active;
        emit HoldReleased(batchId, msg.sender, reasonHash);
    }

    /// @inheritdoc IProvenanceLedger
    function recall(uint256 batchId, bytes32 reasonHash) external {
        Batch storage batch = _batchGovernedByCaller(batchId);
        BatchStatus status = batch.status;
        if (status == BatchStatus.Recalled) revert BatchRecalled(batchId);
        if (status == BatchStatus.Consumed) revert BatchConsumed(batchId);
        batch.status = BatchStatus.Recalled;
        batch.pendingRecipient = address(0);
        emit RecallIssued(batchId, msg.sender, reasonHash);
    }

    /// @inheritdoc IProvenanceLedger
    function retire(uint256 batchId, uint96 quantity, bytes32 reasonHash) external returns (uint256 retiredId) {
        Batch storage batch = _usableBatchHeldByCaller(batchId);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        _requireAvailable(batchId, batch, quantity);

        retiredId = batchId;
        if (quantity < batch.quantity) {
            retiredId = _split(batchId, batch, quantity);
            batch = _batches[retiredId];
        }
        batch.status = BatchStatus.Retired;
        emit BatchRetired(retiredId, msg.sender, quantity, reasonHash);
    }

    /// @inheritdoc IProvenanceLedger
    function lockForReceipt(uint256 batchId, address warehouse, uint96 quantity)
        external
        onlyWarehouseReceipts
        returns (uint256 lockedBatchId)
    {
        Batch storage batch = _usableBatchHeldBy(batchId, warehouse);
        _requireAvailable(batchId, batch, quantity);
        lockedBatchId = batchId;
        if (quantity < batch.quantity) lockedBatchId = _split(batchId, batch, quantity);
        _batches[lockedBatchId].underReceipt = true;
    }

    /// @inheritdoc IProvenanceLedger
    function splitLocked(uint256 batchId, uint96 quantity) external onlyWarehouseReceipts returns (uint256 childId) {
        Batch storage batch = _activeLockedBatch(batchId);
        if (quantity == 0) revert ZeroQuantity();
        // The locked batch must keep some quantity: it still backs its own receipt.
        if (quantity >= batch.quantity) revert InsufficientQuantity(batchId, quantity, batch.quantity);
        childId = _split(batchId, batch, quantity);
        _batches[childId].underReceipt = true;
    }

    /// @inheritdoc IProvenanceLedger
    function releaseFromReceipt(uint256 batchId, address to, bytes32 documentHash) external onlyWarehouseReceipts {
        Batch storage batch = _activeLockedBatch(batchId);
        registry.requireActiveRole(to, Roles.ANY_MEMBER);
        batch.underReceipt = false;
        address warehouse = batch.custodian;
        if (to == warehouse) return;
        // The same two events as a ship and its receipt, so custody history and traces need nothing new.
        emit BatchShipped(batchId, warehouse, to, batch.quantity, address(0), documentHash);
        batch.custodian = to;
        emit BatchReceived(batchId, warehouse, to);
    }

    /// @inheritdoc IProvenanceLedger
    function isUnderReceipt(uint256 batchId) external view returns (bool) {
        return _batches[batchId].underReceipt;
    }

    /// @inheritdoc IProvenanceLedger
    function anchor(bytes32 root, uint32 eventCount, string calldata uri) external {
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        if (root == bytes32(0)) revert ZeroRoot();
        if (eventCount == 0) revert ZeroEventCount();
        if (_anchors[root] != 0) revert RootAlreadyAnchored(root);
        _anchors[root] = uint256(uint160(msg.sender)) | (block.timestamp << 160) | (uint256(eventCount) << 224);
        emit RootAnchored(root, msg.sender, eventCount, uri);
    }

    /// @inheritdoc IProvenanceLedger
    function verifyInclusion(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        return _anchors[root] != 0 && MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc IProvenanceLedger
    function anchorOf(bytes32 root) external view returns (address submitter, uint64 anchoredAt, uint32 eventCount) {
        uint256 packed = _anchors[root];
        return (address(uint160(packed)), uint64(packed >> 160), uint32(packed >> 224));
    }

    /// @inheritdoc IProvenanceLedger
    function batchOf(uint256 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @inheritdoc IProvenanceLedger
    function productRegistrant(uint64 gtin) external view returns (address) {
        return _productRegistrants[gtin];
    }

    /// @inheritdoc IProvenanceLedger
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /// @dev Validates and stores a new batch produced by the caller, who becomes its custodian.
    function _createBatch(uint64 gtin, uint96 quantity, bytes3 unit, uint32 originRegion)
        private
        returns (uint256 batchId)
    {
        if (_productRegistrants[gtin] == address(0)) revert UnknownProduct(gtin);
        if (quantity == 0) revert ZeroQuantity();
        if (!TradeCodes.isValidUnit(unit)) revert InvalidUnit(unit);
        if (originRegion == 0) revert InvalidOriginRegion(originRegion);
        batchId = ++_batchCount;
        _batches[batchId] = Batch({
            producer: msg.sender,
            // Cannot truncate: a registered GTIN passed isValidGtin, so it is below 10^14 < 2^56.
            gtin: uint56(gtin),
            underReceipt: false,
            unit: unit,
            status: BatchStatus.Active,
            custodian: msg.sender,
            quantity: quantity,
            pendingRecipient: address(0),
            parentId: 0,
            originRegion: originRegion
        });
    }

    /// @dev Moves `quantity` of `parent` into a new child batch with the same product, producer and
    /// origin, held by the same custodian. Quantity is conserved: parent + child = parent before.
    function _split(uint256 parentId, Batch storage parent, uint96 quantity) private returns (uint256 childId) {
        childId = ++_batchCount;
        // Cannot underflow: the caller checked quantity < parent.quantity.
        unchecked {
            parent.quantity -= quantity;
        }
        _batches[childId] = Batch({
            producer: parent.producer,
            gtin: parent.gtin,
            underReceipt: false,
            unit: parent.unit,
            status: BatchStatus.Active,
            custodian: parent.custodian,
            quantity: quantity,
            pendingRecipient: address(0),
            parentId: uint64(parentId),
            originRegion: parent.originRegion
        });
        emit BatchSplit(parentId, childId, quantity);
    }

    /// @dev Takes the inputs' quantities out of their batches; a batch emptied this way is consumed.
    function _consumeInputs(TransformationInput[] calldata inputs)
        private
        returns (uint256[] memory inputIds, uint96[] memory inputQuantities)
    {
        inputIds = new uint256[](inputs.length);
        inputQuantities = new uint96[](inputs.length);
        for (uint256 i; i < inputs.length; ++i) {
            uint256 batchId = inputs[i].batchId;
            uint96 quantity = inputs[i].quantity;
            for (uint256 j; j < i; ++j) {
                if (inputIds[j] == batchId) revert DuplicateInput(batchId);
            }
            Batch storage batch = _usableBatchHeldByCaller(batchId);
            _requireAvailable(batchId, batch, quantity);
            // Cannot underflow: _requireAvailable checked quantity <= batch.quantity.
            unchecked {
                batch.quantity -= quantity;
            }
            if (batch.quantity == 0) batch.status = BatchStatus.Consumed;
            inputIds[i] = batchId;
            inputQuantities[i] = quantity;
        }
    }

    function _closeShipment(Batch storage batch) private {
        batch.pendingRecipient = address(0);
        batch.status = BatchStatus.Active;
    }

    function _existingBatch(uint256 batchId) private view returns (Batch storage batch) {
        batch = _batches[batchId];
        if (batch.status == BatchStatus.None) revert UnknownBatch(batchId);
    }

    /// @dev An active batch whose custodian is the caller; callers check the caller's membership once.
    function _usableBatchHeldByCaller(uint256 batchId) private view returns (Batch storage batch) {
        return _usableBatchHeldBy(batchId, msg.sender);
    }

    /// @dev An active batch held by `custodian` and free to move: not under a warehouse receipt.
    function _usableBatchHeldBy(uint256 batchId, address custodian) private view returns (Batch storage batch) {
        batch = _existingBatch(batchId);
        _requireActive(batchId, batch.status);
        if (batch.custodian != custodian) revert NotCustodian(batchId, custodian, batch.custodian);
        if (batch.underReceipt) revert BatchUnderReceipt(batchId);
    }

    /// @dev A batch under a warehouse receipt that may change hands or be split: not on hold or
    /// recalled (a split child is created active, so splitting a held batch would free part of it).
    function _activeLockedBatch(uint256 batchId) private view returns (Batch storage batch) {
        batch = _existingBatch(batchId);
        if (!batch.underReceipt) revert BatchNotUnderReceipt(batchId);
        _requireActive(batchId, batch.status);
    }

    /// @dev A batch in transit to the caller, an active member.
    function _shipmentAddressedToCaller(uint256 batchId) private view returns (Batch storage batch) {
        batch = _existingBatch(batchId);
        if (batch.status != BatchStatus.InTransit) revert BatchNotInTransit(batchId);
        if (batch.pendingRecipient != msg.sender) revert NotRecipient(batchId, msg.sender, batch.pendingRecipient);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
    }

    /// @dev A batch the caller may hold or recall: its producer while an active member, or a regulator.
    function _batchGovernedByCaller(uint256 batchId) private view returns (Batch storage batch) {
        batch = _existingBatch(batchId);
        bool isActiveProducer = batch.producer == msg.sender && registry.isActiveMember(msg.sender);
        if (!isActiveProducer && !registry.hasActiveRole(msg.sender, Roles.REGULATOR)) {
            revert NotProducerOrRegulator(batchId, msg.sender);
        }
    }

    function _requireAvailable(uint256 batchId, Batch storage batch, uint96 quantity) private view {
        if (quantity == 0) revert ZeroQuantity();
        if (quantity > batch.quantity) revert InsufficientQuantity(batchId, quantity, batch.quantity);
    }

    /// @dev Names the reason a batch cannot be used, so callers see e.g. {BatchRecalled}.
    function _requireActive(uint256 batchId, BatchStatus status) private pure {
        if (status == BatchStatus.Active) return;
        if (status == BatchStatus.InTransit) revert BatchInTransit(batchId);
        if (status == BatchStatus.OnHold) revert BatchOnHold(batchId);
        if (status == BatchStatus.Recalled) revert BatchRecalled(batchId);
        if (status == BatchStatus.Retired) revert BatchIsRetired(batchId);
        revert BatchConsumed(batchId);
    }
}
