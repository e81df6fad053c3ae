// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Product provenance: products, batches, custody, observations, transformation, recall, anchors
/// @notice Events follow GS1 EPCIS 2.0 semantics (commission, ship/receive, observe, transform, recall)
/// and carry every value the indexer needs, so the read side never calls the contract.
/// Quantities are integers in the UN/CEFACT Recommendation 20 unit of their batch; times are UTC seconds.
interface IProvenanceLedger {
    /// @notice Lifecycle of a batch. `Recalled`, `Consumed` and `Retired` are final. New values are
    /// appended so that stored and indexed numbers keep their meaning.
    enum BatchStatus {
        None,
        Active,
        InTransit,
        OnHold,
        Recalled,
        Consumed,
        Retired
    }

    /// @notice On-chain state of a batch, packed into three slots. `underReceipt` is true while the
    /// batch is title under a live warehouse receipt (see {lockForReceipt}).
    /// @dev Slot 3 is never all-zero for an existing batch (its origin region is non-zero), so
    /// setting and clearing `pendingRecipient` always rewrites a non-zero slot: that keeps ship and
    /// receive cheap. The GTIN takes 56 bits (every GTIN is below 10^14 < 2^47) so that the receipt
    /// lock fits in slot 1 next to the status: every check of a batch reads both in one load, and
    /// locking a batch rewrites a slot already read instead of filling a new one.
    struct Batch {
        address producer;
        uint56 gtin;
        bool underReceipt;
        bytes3 unit;
        BatchStatus status;
        address custodian;
        uint96 quantity;
        address pendingRecipient;
        uint64 parentId;
        uint32 originRegion;
    }

    /// @notice One input of a transformation: `quantity` of batch `batchId` is consumed.
    struct TransformationInput {
        uint256 batchId;
        uint96 quantity;
    }

    /// @notice One output of a transformation: a new batch of product `gtin`.
    struct TransformationOutput {
        uint64 gtin;
        uint96 quantity;
        bytes3 unit;
        uint32 originRegion;
        string lot;
    }

    error InvalidGtin(uint64 gtin);
    error InvalidHsCode(string hsCode);
    error ProductAlreadyRegistered(uint64 gtin);
    error UnknownProduct(uint64 gtin);
    error InvalidUnit(bytes3 unit);
    error InvalidOriginRegion(uint32 originRegion);
    error ProductionTimeInFuture(uint64 producedAt, uint256 blockTime);
    error ZeroQuantity();
    error UnknownBatch(uint256 batchId);
    error NotCustodian(uint256 batchId, address caller, address custodian);
    error NotRecipient(uint256 batchId, address caller, address recipient);
    error NotProducerOrRegulator(uint256 batchId, address caller);
    /// @notice The batch is in transit, on hold, recalled, consumed or retired, so it cannot be used.
    error BatchInTransit(uint256 batchId);
    error BatchOnHold(uint256 batchId);
    error BatchRecalled(uint256 batchId);
    error BatchConsumed(uint256 batchId);
    error BatchIsRetired(uint256 batchId);
    error BatchNotInTransit(uint256 batchId);
    error BatchNotOnHold(uint256 batchId);
    error InsufficientQuantity(uint256 batchId, uint256 requested, uint256 available);
    error ShipmentToSelf(uint256 batchId);
    error InvalidCarrier(address carrier);
    error EmptyTransformation();
    error DuplicateInput(uint256 batchId);
    error ZeroRoot();
    error ZeroEventCount();
    error RootAlreadyAnchored(bytes32 root);
    /// @notice The batch is title under a live warehouse receipt: it moves only through the receipt.
    error BatchUnderReceipt(uint256 batchId);
    /// @notice Only the warehouse-receipt contract bound at deployment may call this.
    error NotWarehouseReceipts(address caller);
    /// @notice The batch is not under a warehouse receipt.
    error BatchNotUnderReceipt(uint256 batchId);

    /// @notice Emitted when an enterprise registers a product (trade item).
    event ProductRegistered(uint64 indexed gtin, address indexed registrant, string hsCode, string name, string uri);
    /// @notice Emitted when a batch comes into being, by commissioning or as a transformation output
    /// (`transformationId` is 0 for commissioning).
    event BatchCommissioned(
        uint256 indexed batchId,
        uint64 indexed gtin,
        address indexed producer,
        uint96 quantity,
        bytes3 unit,
        uint32 originRegion,
        uint64 producedAt,
        bytes32 documentHash,
        uint256 transformationId,
        string lot
    );
    /// @notice Emitted when part of a batch is split off into child batch `childId` (to be shipped,
    /// retired or locked under a warehouse receipt).
    event BatchSplit(uint256 indexed parentId, uint256 indexed childId, uint96 quantity);
    /// @notice Emitted when a custodian hands a batch to a carrier for `to`.
    event BatchShipped(
        uint256 indexed batchId,
        address indexed from,
        address indexed to,
        uint96 quantity,
        address carrier,
        bytes32 documentHash
    );
    /// @notice Emitted when the recipient takes custody.
    event BatchReceived(uint256 indexed batchId, address indexed from, address indexed to);
    /// @notice Emitted when the recipient refuses a shipment; custody stays with the shipper.
    event ShipmentRejected(uint256 indexed batchId, address indexed from, address indexed to, bytes32 reasonHash);
    /// @notice Emitted when the shipper calls a shipment back before it was received or rejected.
    event ShipmentCancelled(uint256 indexed batchId, address indexed from, address indexed to, bytes32 reasonHash);
    /// @notice Emitted when an inspector records an inspection result.
    event InspectionRecorded(uint256 indexed batchId, address indexed inspector, bool passed, bytes32 certificateHash);
    /// @notice Emitted when a member records an observation (e.g. a sensor reading) by its hash.
    event ReadingRecorded(uint256 indexed batchId, address indexed reporter, bytes32 readingHash);
    /// @notice Emitted after a transformation's output batches were commissioned; records its lineage.
    event BatchesTransformed(
        uint256 indexed transformationId,
        address indexed operator,
        uint256[] inputIds,
        uint96[] inputQuantities,
        uint256[] outputIds,
        bytes32 documentHash
    );
    /// @notice Emitted when a batch is put on hold.
    event HoldPlaced(uint256 indexed batchId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a hold is lifted.
    event HoldReleased(uint256 indexed batchId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a batch is recalled for good.
    event RecallIssued(uint256 indexed batchId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a custodian takes `quantity` (the whole of batch `batchId`) out of the
    /// supply chain for good: destroyed, disposed of, or sold to end consumers (EPCIS decommissioning).
    event BatchRetired(uint256 indexed batchId, address indexed by, uint96 quantity, bytes32 reasonHash);
    /// @notice Emitted when a member anchors the Merkle root of `eventCount` off-chain events.
    event RootAnchored(bytes32 indexed root, address indexed submitter, uint32 eventCount, string uri);

    /// @notice Registers a product by its GTIN (GTIN-8/12/13/14 as a number; check digit verified).
    /// @dev Requirements: caller is an active ENTERPRISE; `hsCode` is 6, 8 or 10 digits; GTIN unused.
    /// Emits {ProductRegistered}.
    function registerProduct(uint64 gtin, string calldata hsCode, string calldata name, string calldata uri) external;

    /// @notice Commissions a batch of a registered product; the caller is its producer and custodian.
    /// @dev Requirements: caller is an active ENTERPRISE; product registered; quantity > 0; valid unit;
    /// non-zero origin region (GB/T 2260 administrative division code); `producedAt` not in the future.
    /// Emits {BatchCommissioned}.
    function commission(
        uint64 gtin,
        string calldata lot,
        uint96 quantity,
        bytes3 unit,
        uint32 originRegion,
        uint64 producedAt,
        bytes32 documentHash
    ) external returns (uint256 batchId);

    /// @notice Ships `quantity` of a batch to member `to`. Shipping less than the whole batch first
    /// splits a child batch off, which travels instead.
    /// @dev Requirements: caller is an active member and the batch's custodian; batch active and not
    /// under a warehouse receipt ({BatchUnderReceipt}); `to` an active member other than the caller;
    /// `carrier` zero or an active LOGISTICS member.
    /// Emits {BatchSplit} (partial only) and {BatchShipped}.
    /// @return shippedId the id of the batch now in transit.
    function ship(uint256 batchId, address to, uint96 quantity, address carrier, bytes32 documentHash)
        external
        returns (uint256 shippedId);

    /// @notice The recipient of a shipment takes custody.
    /// @dev Requirements: caller is an active member and the pending recipient; batch in transit.
    /// Emits {BatchReceived}.
    function receiveShipment(uint256 batchId) external;

    /// @notice The recipient refuses a shipment; the batch returns to its shipper, active.
    /// @dev Requirements: as for {receiveShipment}. Emits {ShipmentRejected}.
    function rejectShipment(uint256 batchId, bytes32 reasonHash) external;

    /// @notice The shipper calls back a shipment that was neither received nor rejected (e.g. the
    /// recipient was suspended meanwhile); the batch is active again in the shipper's custody.
    /// @dev Requirements: caller is an active member and the batch's custodian; batch in transit.
    /// Emits {ShipmentCancelled}.
    function cancelShipment(uint256 batchId, bytes32 reasonHash) external;

    /// @notice Records an inspection result for a batch.
    /// @dev Requirements: caller is an active INSPECTOR; batch exists. Emits {InspectionRecorded}.
    function recordInspection(uint256 batchId, bool passed, bytes32 certificateHash) external;

    /// @notice Records an observation of a batch by its hash (the reading itself stays off-chain).
    /// @dev Requirements: caller is an active member; batch exists. Emits {ReadingRecorded}.
    function recordReading(uint256 batchId, bytes32 readingHash) external;

    /// @notice Consumes quantities of input batches and produces new output batches.
    /// @dev Requirements: caller is an active ENTERPRISE and custodian of every input; inputs active,
    /// not under a warehouse receipt, distinct, with enough quantity; at least one input and one output; outputs as for {commission}.
    /// An input whose quantity reaches zero becomes `Consumed`. Outputs are produced now, at the
    /// origin region the caller names (where the transformation happened). Emits {BatchCommissioned} per output, then {BatchesTransformed}.
    function transform(
        TransformationInput[] calldata inputs,
        TransformationOutput[] calldata outputs,
        bytes32 documentHash
    ) external returns (uint256 transformationId, uint256[] memory outputIds);

    /// @notice Puts an active batch on hold (also one under a warehouse receipt: the receipt shows it).
    /// @dev Requirements: caller is the batch's producer (while an active member) or an active REGULATOR;
    /// batch active. Emits {HoldPlaced}.
    function hold(uint256 batchId, bytes32 reasonHash) external;

    /// @notice Lifts a hold.
    /// @dev Requirements: as for {hold}; batch on hold. Emits {HoldReleased}.
    function releaseHold(uint256 batchId, bytes32 reasonHash) external;

    /// @notice Recalls a batch for good; it can never be shipped, received or transformed again. A batch
    /// under a warehouse receipt can be recalled too; its receipt then can no longer be redeemed.
    /// A retired batch can be recalled too: goods sold to consumers are what a recall is for. Its status
    /// then shows Recalled; its retirement stays in its history ({BatchRetired}), quantity and custodian
    /// unchanged.
    /// @dev Requirements: as for {hold}; batch not recalled or consumed. A pending shipment is cancelled
    /// with the recall. Emits {RecallIssued}.
    function recall(uint256 batchId, bytes32 reasonHash) external;

    /// @notice Retires `quantity` of a batch: the goods leave the supply chain for good (destroyed,
    /// disposed of, sold to end consumers). Retiring less than the whole batch first splits a child
    /// batch off, which is retired instead; the rest stays active with the caller. A retired batch
    /// can never be shipped, received, transformed, held or put under a warehouse receipt; it can still be
    /// recalled (see {recall}).
    /// @dev Requirements: caller is an active member ({IMemberRegistry-MissingRole}) and the batch's
    /// custodian ({NotCustodian}), as for {ship}; batch exists ({UnknownBatch}) and is active
    /// ({BatchInTransit}, {BatchOnHold}, {BatchRecalled}, {BatchConsumed}, {BatchIsRetired}), not under
    /// a warehouse receipt ({BatchUnderReceipt}); 0 < quantity <= batch quantity ({ZeroQuantity},
    /// {InsufficientQuantity}). `reasonHash` is the hash of the off-chain reason (e.g. the EPCIS
    /// event), not checked. Emits {BatchSplit} (partial only) and {BatchRetired}.
    /// @return retiredId the id of the batch now retired (`batchId`, or the new child's id).
    function retire(uint256 batchId, uint96 quantity, bytes32 reasonHash) external returns (uint256 retiredId);

    /// @notice Anchors the Merkle root of many off-chain events in one transaction.
    /// @dev Requirements: caller is an active member; root non-zero and new; `eventCount` > 0.
    /// Emits {RootAnchored}.
    function anchor(bytes32 root, uint32 eventCount, string calldata uri) external;

    /// @notice True when `leaf` is included under the anchored `root` (sorted-pair keccak256 tree,
    /// as OpenZeppelin's MerkleProof).
    function verifyInclusion(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool);

    /// @notice Who anchored `root`, when, and over how many events (zero values when unknown).
    function anchorOf(bytes32 root) external view returns (address submitter, uint64 anchoredAt, uint32 eventCount);

    /// @notice Warehouse-receipt contract only: locks `quantity` of `batchId`, held by `warehouse`, under
    /// a new receipt. A quantity below the batch's splits a child batch off (same custodian), which is
    /// locked instead. A locked batch cannot be shipped, transformed or locked again until released.
    /// @dev Requirements: caller is {warehouseReceipts} ({NotWarehouseReceipts}); batch active, custodian
    /// `warehouse` ({NotCustodian}), not locked ({BatchUnderReceipt}); 0 < quantity <= batch quantity
    /// ({ZeroQuantity}, {InsufficientQuantity}). Emits {BatchSplit} (partial only).
    /// @return lockedBatchId the batch now under the receipt.
    function lockForReceipt(uint256 batchId, address warehouse, uint96 quantity) external returns (uint256 lockedBatchId);

    /// @notice Warehouse-receipt contract only: splits `quantity` off a locked batch into a new child
    /// batch, locked too (a receipt being split, or part of a pledged receipt being released).
    /// @dev Requirements: caller is {warehouseReceipts}; batch locked ({BatchNotUnderReceipt}) and active
    /// (a split child starts active, so a held or recalled batch is not split); 0 < quantity < batch
    /// quantity ({ZeroQuantity}, {InsufficientQuantity}: the locked batch keeps some). Emits {BatchSplit}.
    function splitLocked(uint256 batchId, uint96 quantity) external returns (uint256 childId);

    /// @notice Warehouse-receipt contract only: the receipt over `batchId` was redeemed; the batch is
    /// unlocked and its custody moves from the warehouse to `to`.
    /// @dev Requirements: caller is {warehouseReceipts}; batch locked ({BatchNotUnderReceipt}) and active
    /// ({BatchOnHold}, {BatchRecalled}); `to` an active member ({IMemberRegistry-MissingRole}).
    /// Emits {BatchShipped} and {BatchReceived} (warehouse to `to`, no carrier), or nothing when `to`
    /// already has custody.
    function releaseFromReceipt(uint256 batchId, address to, bytes32 documentHash) external;

    /// @notice True while `batchId` is under a live warehouse receipt.
    function isUnderReceipt(uint256 batchId) external view returns (bool);

    /// @notice The warehouse-receipt contract bound at deployment (zero: receipts disabled).
    function warehouseReceipts() external view returns (address);

    /// @notice The stored state of a batch.
    function batchOf(uint256 batchId) external view returns (Batch memory);

    /// @notice Who registered product `gtin` (zero when unknown).
    function productRegistrant(uint64 gtin) external view returns (address);

    /// @notice The id the next batch will receive minus one.
    function batchCount() external view returns (uint256);
}
