// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IProvenanceLedger} from "../../contracts/provenance/IProvenanceLedger.sol";
import {ForgeBase} from "./Vm.sol";

/// @notice Drives a ProvenanceLedger with bounded random actions on behalf of a few member enterprises
/// and keeps ghost totals, per unit, of what was commissioned, consumed and produced.
/// @dev Every action picks a target that should succeed (e.g. an active batch held by the acting
/// member) so that most fuzzer calls change state; the ghost totals are only updated after the
/// ledger call returned. Ledger reads happen before `vm.prank`, which applies to the next call only.
contract ProvenanceHandler is ForgeBase {
    IProvenanceLedger public immutable ledger;
    address public immutable regulator;
    address public immutable carrier;

    address[] internal _actors;
    uint64[] internal _gtins;
    bytes3[] internal _units;

    // ---- ghost state ------------------------------------------------------------------------
    mapping(bytes3 unit => uint256) public ghostCommissioned;
    mapping(bytes3 unit => uint256) public ghostConsumed;
    mapping(bytes3 unit => uint256) public ghostProduced;
    /// @notice Set when a transformation took out of an input something other than what was asked.
    bool public ghostConsumptionMismatch;
    /// @notice Set when the ledger let a transformation consume more than its input batch held.
    bool public ghostOverdrawAccepted;
    /// @notice Set when a ship/split broke conservation between parent and shipped child.
    bool public ghostSplitMismatch;
    /// @notice Quantity retired per unit (it stays in the retired batches: retiring moves nothing out).
    mapping(bytes3 unit => uint256) public ghostRetired;
    /// @notice Every batch retired, and the quantity and custodian it had then: a retired batch is final.
    uint256[] internal _retiredIds;
    mapping(uint256 batchId => uint96) public retiredQuantity;
    mapping(uint256 batchId => address) public retiredCustodian;
    /// @notice Set when a retire/split broke conservation, or a retired batch was shipped or retired again.
    bool public ghostRetireMismatch;

    /// @notice Set when the ledger refused an action the handler chose to be valid; the first such
    /// call and its revert data are kept for the failure message.
    bool public ghostUnexpectedRevert;
    bytes public ghostRevertCall;
    bytes public ghostRevertData;

    /// @notice Successful calls per action, to show the run exercised the ledger.
    mapping(bytes32 action => uint256) public calls;

    constructor(
        IProvenanceLedger ledger_,
        address[] memory actors_,
        address regulator_,
        address carrier_,
        uint64[] memory gtins_,
        bytes3[] memory units_
    ) {
        ledger = ledger_;
        _actors = actors_;
        regulator = regulator_;
        carrier = carrier_;
        _gtins = gtins_;
        _units = units_;
    }

    // ---- views for the invariant test -------------------------------------------------------

    function units() external view returns (bytes3[] memory) {
        return _units;
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function retiredIds() external view returns (uint256[] memory) {
        return _retiredIds;
    }

    function isActor(address account) public view returns (bool) {
        for (uint256 i; i < _actors.length; ++i) {
            if (_actors[i] == account) return true;
        }
        return false;
    }

    // ---- actions ----------------------------------------------------------------------------

    function commission(uint256 actorSeed, uint256 gtinSeed, uint256 unitSeed, uint96 quantity) external {
        address actor = _actors[actorSeed % _actors.length];
        uint64 gtin = _gtins[gtinSeed % _gtins.length];
        bytes3 unit = _units[unitSeed % _units.length];
        quantity = uint96(bound(quantity, 1, 1e24));
        (bool ok,) = _act(
            actor,
            abi.encodeCall(
                IProvenanceLedger.commission,
                (gtin, "LOT-FUZZ", quantity, unit, 110101, uint64(block.timestamp), bytes32(0))
            )
        );
        if (!ok) return;
        ghostCommissioned[unit] += quantity;
        calls["commission"]++;
    }

    /// @notice Ships the whole batch or part of it (a split) to another actor, sometimes via the carrier.
    function ship(uint256 batchSeed, uint256 toSeed, uint256 quantitySeed, bool viaCarrier) external {
        (uint256 batchId, bool found) = _findBatch(batchSeed, IProvenanceLedger.BatchStatus.Active);
        if (!found) return;
        IProvenanceLedger.Batch memory before = ledger.batchOf(batchId);
        address from = before.custodian;
        uint256 toIndex = toSeed % _actors.length;
        address to = _actors[toIndex];
        if (to == from) to = _actors[(toIndex + 1) % _actors.length];
        // One call in three ships the whole batch; the rest ship a random part of it.
        uint96 quantity =
            quantitySeed % 3 == 0 ? before.quantity : uint96(bound(quantitySeed / 3, 1, before.quantity));

        (bool ok, bytes memory ret) = _act(
            from,
            abi.encodeCall(IProvenanceLedger.ship, (batchId, to, quantity, viaCarrier ? carrier : address(0), 0))
        );
        if (!ok) return;
        uint256 shippedId = abi.decode(ret, (uint256));

        IProvenanceLedger.Batch memory parent = ledger.batchOf(batchId);
        IProvenanceLedger.Batch memory shipped = ledger.batchOf(shippedId);
        if (quantity == before.quantity) {
            if (shippedId != batchId || shipped.quantity != quantity) ghostSplitMismatch = true;
            calls["shipWhole"]++;
        } else {
            if (shippedId == batchId || parent.quantity + shipped.quantity != before.quantity) {
                ghostSplitMismatch = true;
            }
            if (shipped.parentId != batchId || shipped.unit != before.unit || shipped.producer != before.producer) {
                ghostSplitMismatch = true;
            }
            calls["shipPartial"]++;
        }
    }

    function receiveShipment(uint256 batchSeed) external {
        (uint256 batchId, bool found) = _findBatch(batchSeed, IProvenanceLedger.BatchStatus.InTransit);
        if (!found) return;
        address recipient = ledger.batchOf(batchId).pendingRecipient;
        (bool ok,) = _act(recipient, abi.encodeCall(IProvenanceLedger.receiveShipment, (batchId)));
        if (!ok) return;
        calls["receive"]++;
    }

    function rejectShipment(uint256 batchSeed) external {
        (uint256 batchId, bool found) = _findBatch(batchSeed, IProvenanceLedger.BatchStatus.InTransit);
        if (!found) return;
        address recipient = ledger.batchOf(batchId).pendingRecipient;
        (bool ok,) = _act(recipient, abi.encodeCall(IProvenanceLedger.rejectShipment, (batchId, keccak256("damaged"))));
        if (!ok) return;
        calls["reject"]++;
    }

    function cancelShipment(uint256 batchSeed) external {
        (uint256 batchId, bool found) = _findBatch(batchSeed, IProvenanceLedger.BatchStatus.InTransit);
        if (!found) return;
        address shipper = ledger.batchOf(batchId).custodian;
        (bool ok,) = _act(shipper, abi.encodeCall(IProvenanceLedger.cancelShipment, (batchId, keccak256("called back"))));
        if (!ok) return;
        calls["cancel"]++;
    }

    /// @notice Consumes 1-3 active batches held by one custodian into 1-2 new output batches.
    function transform(uint256 batchSeed, uint256 inputSeed, uint256 outputSeed) external {
        (uint256 firstId, bool found) = _findBatch(batchSeed, IProvenanceLedger.BatchStatus.Active);
        if (!found) return;
        address operator = ledger.batchOf(firstId).custodian;

        // Gather up to 3 distinct active inputs held by the operator, starting with `firstId`.
        uint256 wanted = 1 + (inputSeed % 3);
        uint256[] memory ids = new uint256[](wanted);
        ids[0] = firstId;
        uint256 count = 1;
        uint256 n = ledger.batchCount();
        for (uint256 k = 1; k < n && count < wanted; ++k) {
            uint256 id = ((firstId - 1 + k) % n) + 1;
            IProvenanceLedger.Batch memory b = ledger.batchOf(id);
            if (b.status == IProvenanceLedger.BatchStatus.Active && b.custodian == operator) ids[count++] = id;
        }

        IProvenanceLedger.TransformationInput[] memory inputs = new IProvenanceLedger.TransformationInput[](count);
        uint96[] memory before = new uint96[](count);
        bytes3[] memory inputUnits = new bytes3[](count);
        for (uint256 i; i < count; ++i) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(ids[i]);
            before[i] = b.quantity;
            inputUnits[i] = b.unit;
            uint256 seed = uint256(keccak256(abi.encode(inputSeed, i)));
            // Half of the inputs are consumed entirely, which must turn them `Consumed`.
            uint96 quantity = seed % 2 == 0 ? b.quantity : uint96(bound(seed >> 1, 1, b.quantity));
            inputs[i] = IProvenanceLedger.TransformationInput({batchId: ids[i], quantity: quantity});
        }

        uint256 outputCount = 1 + (outputSeed % 2);
        IProvenanceLedger.TransformationOutput[] memory outputs =
            new IProvenanceLedger.TransformationOutput[](outputCount);
        for (uint256 j; j < outputCount; ++j) {
            uint256 seed = uint256(keccak256(abi.encode(outputSeed, j)));
            outputs[j] = IProvenanceLedger.TransformationOutput({
                gtin: _gtins[seed % _gtins.length],
                quantity: uint96(bound(seed >> 8, 1, 1e24)),
                unit: _units[(seed >> 4) % _units.length],
                originRegion: 320500,
                lot: "LOT-OUT"
            });
        }

        // An over-drawn input must be refused (checked on the first input only, then the real call).
        if (outputSeed % 4 == 0) {
            IProvenanceLedger.TransformationInput[] memory greedy = new IProvenanceLedger.TransformationInput[](1);
            greedy[0] = IProvenanceLedger.TransformationInput({batchId: ids[0], quantity: before[0] + 1});
            vm.prank(operator);
            try ledger.transform(greedy, outputs, bytes32(0)) {
                ghostOverdrawAccepted = true;
            } catch {}
        }

        (bool ok, bytes memory ret) = _act(operator, abi.encodeCall(IProvenanceLedger.transform, (inputs, outputs, 0)));
        if (!ok) return;
        (, uint256[] memory outputIds) = abi.decode(ret, (uint256, uint256[]));

        for (uint256 i; i < count; ++i) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(ids[i]);
            if (b.quantity != before[i] - inputs[i].quantity) ghostConsumptionMismatch = true;
            if ((b.quantity == 0) != (b.status == IProvenanceLedger.BatchStatus.Consumed)) {
                ghostConsumptionMismatch = true;
            }
            ghostConsumed[inputUnits[i]] += inputs[i].quantity;
        }
        for (uint256 j; j < outputCount; ++j) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(outputIds[j]);
            if (b.quantity != outputs[j].quantity || b.custodian != operator || b.producer != operator) {
                ghostConsumptionMismatch = true;
            }
            ghostProduced[outputs[j].unit] += outputs[j].quantity;
        }
        calls["transform"]++;
    }

    /// @notice The batch's producer or the regulator puts an active batch on hold.
    function hold(uint256 batchSeed, bool byRegulator) external {
        (uint256 batchId, bool found) = _findBatch(batchSeed, IProvenanceLedger.BatchStatus.Active);
        if (!found) return;
        address by = byRegulator ? regulator : ledger.batchOf(batchId).producer;
        (bool ok,) = _act(by, abi.encodeCall(IProvenanceLedger.hold, (batchId, keccak256("suspected contamination"))));
        if (!ok) return;
        calls["hold"]++;
    }

    function releaseHold(uint256 batchSeed, bool byRegulator) external {
        (uint256 batchId, bool found) = _findBatch(batchSeed, IProvenanceLedger.BatchStatus.OnHold);
        if (!found) return;
        address by = byRegulator ? regulator : ledger.batchOf(batchId).producer;
        (bool ok,) = _act(by, abi.encodeCall(IProvenanceLedger.releaseHold, (batchId, keccak256("cleared"))));
        if (!ok) return;
        calls["release"]++;
    }

    /// @notice Recalls an active, in-transit or on-hold batch. Only one call in four goes through, so
    /// recalls do not drain the population of usable batches too quickly.
    function recall(uint256 batchSeed, uint8 statusSeed, bool byRegulator) external {
        if (batchSeed % 4 != 0) return;
        // Active, InTransit, OnHold, or Retired (goods sold to consumers are what a recall is for).
        uint8[4] memory recallable = [1, 2, 3, 6];
        IProvenanceLedger.BatchStatus status = IProvenanceLedger.BatchStatus(recallable[statusSeed % 4]);
        (uint256 batchId, bool found) = _findBatch(batchSeed / 4, status);
        if (!found) return;
        address by = byRegulator ? regulator : ledger.batchOf(batchId).producer;
        (bool ok,) = _act(by, abi.encodeCall(IProvenanceLedger.recall, (batchId, keccak256("recall"))));
        if (!ok) return;
        calls["recall"]++;
    }

    /// @notice The custodian retires the whole of an active batch or part of it (a split). One call in
    /// three goes through, so retirements do not drain the population of usable batches too quickly.
    /// Then the retired batch must refuse to be retired again or shipped.
    function retire(uint256 batchSeed, uint256 quantitySeed) external {
        if (batchSeed % 3 != 0) return;
        (uint256 batchId, bool found) = _findBatch(batchSeed / 3, IProvenanceLedger.BatchStatus.Active);
        if (!found) return;
        IProvenanceLedger.Batch memory before = ledger.batchOf(batchId);
        address custodian = before.custodian;
        uint96 quantity =
            quantitySeed % 3 == 0 ? before.quantity : uint96(bound(quantitySeed / 3, 1, before.quantity));

        (bool ok, bytes memory ret) =
            _act(custodian, abi.encodeCall(IProvenanceLedger.retire, (batchId, quantity, keccak256("destroyed"))));
        if (!ok) return;
        uint256 retiredId = abi.decode(ret, (uint256));

        IProvenanceLedger.Batch memory parent = ledger.batchOf(batchId);
        IProvenanceLedger.Batch memory retired = ledger.batchOf(retiredId);
        if (retired.status != IProvenanceLedger.BatchStatus.Retired || retired.quantity != quantity) {
            ghostRetireMismatch = true;
        }
        if (quantity == before.quantity) {
            if (retiredId != batchId) ghostRetireMismatch = true;
            calls["retireWhole"]++;
        } else {
            if (retiredId == batchId || parent.quantity + retired.quantity != before.quantity) ghostRetireMismatch = true;
            if (parent.status != IProvenanceLedger.BatchStatus.Active || retired.parentId != batchId) {
                ghostRetireMismatch = true;
            }
            if (retired.unit != before.unit || retired.custodian != custodian) ghostRetireMismatch = true;
            calls["retirePartial"]++;
        }
        ghostRetired[before.unit] += quantity;
        _retiredIds.push(retiredId);
        retiredQuantity[retiredId] = quantity;
        retiredCustodian[retiredId] = custodian;

        // Final: neither retired again nor shipped.
        vm.prank(custodian);
        try ledger.retire(retiredId, 1, bytes32(0)) {
            ghostRetireMismatch = true;
        } catch {}
        address to = _actors[0] == custodian ? _actors[1] : _actors[0];
        vm.prank(custodian);
        try ledger.ship(retiredId, to, 1, address(0), bytes32(0)) {
            ghostRetireMismatch = true;
        } catch {}
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// @dev Calls the ledger as `actor`. Every action is chosen to be valid, so a revert is a finding:
    /// it is recorded (the invariant test fails on it) instead of being swallowed by the fuzzer.
    function _act(address actor, bytes memory data) internal returns (bool ok, bytes memory ret) {
        vm.prank(actor);
        (ok, ret) = address(ledger).call(data);
        if (!ok && !ghostUnexpectedRevert) {
            ghostUnexpectedRevert = true;
            ghostRevertCall = data;
            ghostRevertData = ret;
        }
    }

    /// @dev The first batch with `status`, scanning all batch ids from a seed-chosen start.
    function _findBatch(uint256 seed, IProvenanceLedger.BatchStatus status)
        internal
        view
        returns (uint256 batchId, bool found)
    {
        uint256 n = ledger.batchCount();
        if (n == 0) return (0, false);
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint256 id = ((start + k) % n) + 1;
            if (ledger.batchOf(id).status == status) return (id, true);
        }
        return (0, false);
    }
}
