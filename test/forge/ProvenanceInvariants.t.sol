// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {MemberRegistry} from "../../contracts/members/MemberRegistry.sol";
import {IMemberRegistry} from "../../contracts/members/IMemberRegistry.sol";
import {Roles} from "../../contracts/members/Roles.sol";
import {ProvenanceLedger} from "../../contracts/provenance/ProvenanceLedger.sol";
import {IProvenanceLedger} from "../../contracts/provenance/IProvenanceLedger.sol";
import {TradeCodes} from "../../contracts/provenance/TradeCodes.sol";
import {ForgeBase} from "./Vm.sol";
import {ProvenanceHandler} from "./ProvenanceHandler.sol";

/// @notice Deploys a registry and a ledger with a few members and two products; shared by both suites.
abstract contract ProvenanceFixture is ForgeBase {
    MemberRegistry internal registry;
    ProvenanceLedger internal ledger;
    address[] internal actors;
    address internal regulator = address(0x5E6);
    address internal carrier = address(0xCA77);
    uint64[] internal gtins;
    bytes3[] internal units;

    function _deployFixture() internal {
        vm.warp(1_750_000_000);
        registry = new MemberRegistry(address(this));
        // No warehouse-receipt contract: these invariants are about custody and quantities alone.
        ledger = new ProvenanceLedger(IMemberRegistry(address(registry)), address(0));
        for (uint256 i; i < 4; ++i) {
            address actor = address(uint160(0xA000 + i));
            actors.push(actor);
            _admit(actor, Roles.ENTERPRISE);
            vm.label(actor, string.concat("enterprise", _digit(i)));
        }
        _admit(regulator, Roles.REGULATOR);
        _admit(carrier, Roles.LOGISTICS);
        vm.label(regulator, "regulator");
        vm.label(carrier, "carrier");

        gtins.push(4006381333931); // EAN-13
        gtins.push(12345670); // GTIN-8
        gtins.push(10614141000415); // GTIN-14
        for (uint256 i; i < gtins.length; ++i) {
            vm.prank(actors[i % actors.length]);
            ledger.registerProduct(gtins[i], "090111", "product", "");
        }
        units.push("KGM");
        units.push("H87");
        units.push("LT"); // two-letter code, NUL-padded
    }

    function _admit(address account, uint32 roles) private {
        registry.admit(account, roles, keccak256(abi.encode(account)), "member", "", bytes32(0));
    }

    function _digit(uint256 i) private pure returns (string memory) {
        return string(abi.encodePacked(bytes1(uint8(48 + i))));
    }
}

/// @notice Stateful invariants of the ProvenanceLedger under random commission / ship / receive /
/// reject / transform / hold / release / recall / retire sequences driven by {ProvenanceHandler}.
contract ProvenanceInvariants is ProvenanceFixture {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    ProvenanceHandler internal handler;

    function setUp() public {
        _deployFixture();
        handler = new ProvenanceHandler(ledger, actors, regulator, carrier, gtins, units);
        vm.label(address(handler), "handler");
    }

    /// @dev Read by forge: fuzz only the handler...
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev ...and only its actions (not its ghost getters).
    function targetSelectors() public view returns (FuzzSelector[] memory selectors) {
        bytes4[] memory actions = new bytes4[](10);
        actions[0] = ProvenanceHandler.commission.selector;
        actions[1] = ProvenanceHandler.ship.selector;
        actions[2] = ProvenanceHandler.receiveShipment.selector;
        actions[3] = ProvenanceHandler.rejectShipment.selector;
        actions[4] = ProvenanceHandler.transform.selector;
        actions[5] = ProvenanceHandler.hold.selector;
        actions[6] = ProvenanceHandler.releaseHold.selector;
        actions[7] = ProvenanceHandler.recall.selector;
        actions[8] = ProvenanceHandler.cancelShipment.selector;
        actions[9] = ProvenanceHandler.retire.selector;
        selectors = new FuzzSelector[](1);
        selectors[0] = FuzzSelector({addr: address(handler), selectors: actions});
    }

    /// (1) Per unit, the quantity held in all batches equals commissioned + produced - consumed:
    /// shipping, splitting, receiving, rejecting, holding, recalling and retiring move no quantity in or
    /// out (a retired batch keeps the quantity it took out of the supply chain).
    function invariant_quantityConserved() public view {
        bytes3[] memory u = handler.units();
        uint256[] memory sums = new uint256[](u.length);
        uint256 n = ledger.batchCount();
        for (uint256 id = 1; id <= n; ++id) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(id);
            bool known;
            for (uint256 k; k < u.length; ++k) {
                if (b.unit == u[k]) {
                    sums[k] += b.quantity;
                    known = true;
                }
            }
            require(known, "batch with a unit nobody used");
        }
        for (uint256 k; k < u.length; ++k) {
            uint256 expected = handler.ghostCommissioned(u[k]) + handler.ghostProduced(u[k]) - handler.ghostConsumed(u[k]);
            require(sums[k] == expected, "quantity not conserved");
        }
        require(!handler.ghostSplitMismatch(), "split/ship changed quantities");
        require(!handler.ghostRetireMismatch(), "retire/split changed quantities, or a retired batch was used");
    }

    /// (2) Consumed batches are empty; usable (Active, InTransit, OnHold) batches are not.
    function invariant_consumedIffEmpty() public view {
        uint256 n = ledger.batchCount();
        for (uint256 id = 1; id <= n; ++id) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(id);
            IProvenanceLedger.BatchStatus s = b.status;
            require(s != IProvenanceLedger.BatchStatus.None, "gap in batch ids");
            if (s == IProvenanceLedger.BatchStatus.Consumed) require(b.quantity == 0, "consumed batch not empty");
            if (
                s == IProvenanceLedger.BatchStatus.Active || s == IProvenanceLedger.BatchStatus.InTransit
                    || s == IProvenanceLedger.BatchStatus.OnHold
            ) require(b.quantity != 0, "usable batch is empty");
        }
        require(ledger.batchOf(n + 1).status == IProvenanceLedger.BatchStatus.None, "batch beyond batchCount");
    }

    /// (2b) Retired goods stay out of the supply chain: every batch ever retired is still retired (or
    /// recalled since), with the quantity and the custodian it had; the retired quantity per unit is
    /// what the retired batches hold.
    function invariant_retiredStaysOut() public view {
        uint256[] memory ids = handler.retiredIds();
        bytes3[] memory u = handler.units();
        uint256[] memory sums = new uint256[](u.length);
        for (uint256 i; i < ids.length; ++i) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(ids[i]);
            // A retired batch only ever changes to Recalled (a recall of goods already sold).
            require(
                b.status == IProvenanceLedger.BatchStatus.Retired || b.status == IProvenanceLedger.BatchStatus.Recalled,
                "retired batch changed status"
            );
            require(b.quantity == handler.retiredQuantity(ids[i]) && b.quantity != 0, "retired batch changed quantity");
            require(b.custodian == handler.retiredCustodian(ids[i]), "retired batch changed custodian");
            for (uint256 k; k < u.length; ++k) {
                if (b.unit == u[k]) sums[k] += b.quantity;
            }
        }
        for (uint256 k; k < u.length; ++k) {
            require(sums[k] == handler.ghostRetired(u[k]), "retired quantity mismatch");
        }
    }

    /// (3) Exactly the batches in transit have a pending recipient, never their own custodian.
    function invariant_pendingRecipientOnlyInTransit() public view {
        uint256 n = ledger.batchCount();
        for (uint256 id = 1; id <= n; ++id) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(id);
            if (b.status == IProvenanceLedger.BatchStatus.InTransit) {
                require(b.pendingRecipient != address(0), "in transit without recipient");
                require(b.pendingRecipient != b.custodian, "in transit to its own custodian");
            } else {
                require(b.pendingRecipient == address(0), "recipient outside transit");
            }
            require(handler.isActor(b.custodian), "custodian is not a member enterprise");
            require(b.parentId < id, "parent after child");
        }
    }

    /// (4) Transformations never consume more than existed, per unit and per input batch.
    function invariant_consumptionBounded() public view {
        bytes3[] memory u = handler.units();
        for (uint256 k; k < u.length; ++k) {
            require(
                handler.ghostConsumed(u[k]) <= handler.ghostCommissioned(u[k]) + handler.ghostProduced(u[k]),
                "consumed more than existed"
            );
        }
        require(!handler.ghostOverdrawAccepted(), "over-drawn input accepted");
        require(!handler.ghostConsumptionMismatch(), "transformation took a wrong quantity");
    }

    /// (5) Liveness: every action the handler picked as valid (an active batch shipped by its custodian,
    /// a shipment received by its recipient, ...) was accepted by the ledger.
    function invariant_validActionsAccepted() public view {
        if (handler.ghostUnexpectedRevert()) {
            revert UnexpectedRevert(handler.ghostRevertCall(), handler.ghostRevertData());
        }
    }

    error UnexpectedRevert(bytes call, bytes revertData);

    /// @dev The handler's retire really retires (part of a batch, then a whole one) and the invariants hold.
    function test_handlerRetiresWholeAndPart() public {
        handler.commission(0, 0, 0, 100); // batch 1
        handler.commission(1, 1, 1, 50); // batch 2
        handler.retire(0, 31); // batch 1, partial (31 % 3 != 0): 10 split off into batch 3 and retired
        handler.retire(3, 0); // batch 2, whole
        require(handler.calls("retirePartial") == 1 && handler.calls("retireWhole") == 1, "retire not exercised");
        require(ledger.batchOf(3).status == IProvenanceLedger.BatchStatus.Retired, "child not retired");
        require(ledger.batchOf(1).quantity == 90 && ledger.batchOf(3).quantity == 10, "split");
        require(ledger.batchOf(2).status == IProvenanceLedger.BatchStatus.Retired, "whole not retired");
        invariant_quantityConserved();
        invariant_consumedIffEmpty();
        invariant_retiredStaysOut();
        invariant_validActionsAccepted();
    }
}

/// @notice Stateless fuzz tests: GTIN validation against a reference implementation, and partial shipping.
contract ProvenanceFuzzTest is ProvenanceFixture {
    function setUp() public {
        _deployFixture();
    }

    /// @dev Reference GS1 check: left-pad to 14 digits, weights 3,1,3,... from the left over the first 13
    /// digits (GTIN-14 layout), check digit = (10 - sum mod 10) mod 10. Zero and > 14 digits are invalid.
    function _referenceIsValidGtin(uint64 gtin) internal pure returns (bool) {
        if (gtin == 0 || gtin > 99_999_999_999_999) return false;
        uint8[14] memory d;
        uint256 v = gtin;
        for (uint256 i = 14; i > 0; --i) {
            d[i - 1] = uint8(v % 10);
            v /= 10;
        }
        uint256 sum;
        for (uint256 i; i < 13; ++i) {
            sum += uint256(d[i]) * (i % 2 == 0 ? 3 : 1);
        }
        return (10 - (sum % 10)) % 10 == d[13];
    }

    function testFuzz_isValidGtinMatchesReference(uint64 gtin) public pure {
        require(TradeCodes.isValidGtin(gtin) == _referenceIsValidGtin(gtin), "raw mismatch");
        // Most raw uint64 values exceed 14 digits; also compare inside the GTIN range.
        uint64 inRange = uint64(bound(gtin, 0, 100_000_000_000_000));
        require(TradeCodes.isValidGtin(inRange) == _referenceIsValidGtin(inRange), "in-range mismatch");
    }

    /// @dev For any 13-digit body exactly one of the ten check digits is accepted.
    function testFuzz_isValidGtinExactlyOneCheckDigit(uint64 body) public pure {
        body = uint64(bound(body, 0, 9_999_999_999_999));
        uint256 accepted;
        for (uint64 c; c < 10; ++c) {
            uint64 gtin = body * 10 + c;
            bool valid = TradeCodes.isValidGtin(gtin);
            require(valid == _referenceIsValidGtin(gtin), "mismatch");
            if (valid) ++accepted;
        }
        require(accepted == (body == 0 ? 0 : 1), "not exactly one check digit"); // body 0 -> only 0, invalid
    }

    function testKnownGtins() public pure {
        require(TradeCodes.isValidGtin(4006381333931), "EAN-13");
        require(TradeCodes.isValidGtin(12345670), "GTIN-8");
        require(TradeCodes.isValidGtin(10614141000415), "GTIN-14");
        require(TradeCodes.isValidGtin(36000291452), "UPC-A 036000291452");
        require(!TradeCodes.isValidGtin(4006381333932), "bad check digit");
        require(!TradeCodes.isValidGtin(100_000_000_000_000), "15 digits");
    }

    /// @dev Shipping `part` of a batch of `total` keeps parent + shipped == total, whole or partial.
    function testFuzz_partialShipConservesQuantity(uint96 total, uint96 part, bool viaCarrier) public {
        total = uint96(bound(total, 1, type(uint96).max));
        part = uint96(bound(part, 1, total));
        address from = actors[0];
        address to = actors[1];

        vm.prank(from);
        uint256 batchId = ledger.commission(gtins[0], "LOT", total, "KGM", 110101, uint64(block.timestamp), 0);
        vm.prank(from);
        uint256 shippedId = ledger.ship(batchId, to, part, viaCarrier ? carrier : address(0), keccak256("bill"));

        IProvenanceLedger.Batch memory parent = ledger.batchOf(batchId);
        IProvenanceLedger.Batch memory shipped = ledger.batchOf(shippedId);
        require(shipped.status == IProvenanceLedger.BatchStatus.InTransit, "not in transit");
        require(shipped.pendingRecipient == to && shipped.custodian == from, "custody");
        require(shipped.quantity == part, "shipped quantity");
        if (part == total) {
            require(shippedId == batchId && ledger.batchCount() == 1, "whole ship split");
        } else {
            require(shippedId == batchId + 1 && shipped.parentId == batchId, "child");
            require(parent.quantity + shipped.quantity == total, "not conserved");
            require(parent.status == IProvenanceLedger.BatchStatus.Active, "parent not active");
            require(shipped.producer == from && shipped.gtin == gtins[0] && shipped.unit == bytes3("KGM"), "copy");
            require(shipped.originRegion == 110101, "origin");
        }

        vm.prank(to);
        ledger.receiveShipment(shippedId);
        shipped = ledger.batchOf(shippedId);
        require(shipped.custodian == to && shipped.pendingRecipient == address(0), "received");
        require(shipped.status == IProvenanceLedger.BatchStatus.Active && shipped.quantity == part, "after receive");
    }
}
