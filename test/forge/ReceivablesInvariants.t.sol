// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ICollateral} from "../../contracts/finance/ICollateral.sol";
import {LienRegistry} from "../../contracts/finance/LienRegistry.sol";
import {IMemberRegistry} from "../../contracts/members/IMemberRegistry.sol";
import {MemberRegistry} from "../../contracts/members/MemberRegistry.sol";
import {Roles} from "../../contracts/members/Roles.sol";
import {IReceivables} from "../../contracts/receivables/IReceivables.sol";
import {Receivables} from "../../contracts/receivables/Receivables.sol";
import {ReceivablesHandler} from "./ReceivablesHandler.sol";
import {ForgeBase} from "./Vm.sol";

/// @notice Stateful invariants of the receivables under random register / confirm / cancel / reject /
/// transfer / earmark / release / lock / unlock / releasePart / seize / sale / dispute / freeze /
/// payment / settlement sequences driven by {ReceivablesHandler}.
contract ReceivablesInvariants is ForgeBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    MemberRegistry internal registry;
    LienRegistry internal liens;
    Receivables internal receivables;
    ReceivablesHandler internal handler;

    function setUp() public {
        vm.warp(1_750_000_000);
        registry = new MemberRegistry(address(this));
        liens = new LienRegistry(IMemberRegistry(address(registry)), new ICollateral[](0));
        receivables = new Receivables(IMemberRegistry(address(registry)), address(liens));
        liens.registerCollateralModule(receivables);
        address[] memory enterprises = _admitAll(0xE000, 5, Roles.ENTERPRISE);
        address[] memory banks = _admitAll(0xB000, 2, Roles.FINANCIER);
        address regulator = address(0x5E6);
        registry.admit(regulator, Roles.REGULATOR, keccak256("regulator"), "regulator", "", bytes32(0));
        handler = new ReceivablesHandler(receivables, address(liens), enterprises, banks, regulator);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Registrations come twice as often as the rest, payments and settlements twice too, so
    /// receivables keep arriving and many reach settlement.
    function targetSelectors() public view returns (FuzzSelector[] memory selectors) {
        bytes4[] memory actions = new bytes4[](14);
        actions[0] = ReceivablesHandler.register.selector;
        actions[1] = ReceivablesHandler.register.selector;
        actions[2] = ReceivablesHandler.confirmCancelOrReject.selector;
        actions[3] = ReceivablesHandler.transfer.selector;
        actions[4] = ReceivablesHandler.earmark.selector;
        actions[5] = ReceivablesHandler.releaseLot.selector;
        actions[6] = ReceivablesHandler.lienAction.selector;
        actions[7] = ReceivablesHandler.sell.selector;
        actions[8] = ReceivablesHandler.disputeOrFreeze.selector;
        actions[9] = ReceivablesHandler.pay.selector;
        actions[10] = ReceivablesHandler.pay.selector;
        actions[11] = ReceivablesHandler.settle.selector;
        actions[12] = ReceivablesHandler.settle.selector;
        actions[13] = ReceivablesHandler.transfer.selector;
        selectors = new FuzzSelector[](1);
        selectors[0] = FuzzSelector({addr: address(handler), selectors: actions});
    }

    /// @notice The holders' amounts add up to the outstanding face value: the face value less what
    /// was settled and burned (nothing at all for a cancelled or rejected receivable).
    function invariant_balancesEqualOutstandingFaceValue() public view {
        uint256[] memory ids = handler.receivableIds();
        address[] memory members = handler.members();
        for (uint256 i; i < ids.length; ++i) {
            IReceivables.ReceivableView memory r = receivables.receivableOf(ids[i]);
            uint256 sum;
            for (uint256 j; j < members.length; ++j) {
                sum += receivables.balanceOf(members[j], ids[i]);
            }
            bool burned = r.status == IReceivables.ReceivableStatus.Cancelled
                || r.status == IReceivables.ReceivableStatus.Rejected;
            require(sum == (burned ? 0 : r.faceValue - r.closedTotal), "holder amounts != outstanding face value");
            if (r.status == IReceivables.ReceivableStatus.Settled) require(sum == 0, "settled with amounts left");
        }
    }

    /// @notice Earmarked (pledgeable) amounts never exceed a holder's amount.
    function invariant_earmarkedWithinBalance() public view {
        uint256[] memory ids = handler.receivableIds();
        address[] memory members = handler.members();
        for (uint256 i; i < ids.length; ++i) {
            for (uint256 j; j < members.length; ++j) {
                require(
                    receivables.earmarkedOf(ids[i], members[j]) <= receivables.balanceOf(members[j], ids[i]),
                    "earmarked above balance"
                );
            }
        }
    }

    /// @notice No amount is settled twice: the holders' settled amounts add up to the recorded total,
    /// which never exceeds what the debtor paid, and no holder's settled amount ever decreases.
    function invariant_settledWithinPaid() public view {
        uint256[] memory ids = handler.receivableIds();
        address[] memory members = handler.members();
        for (uint256 i; i < ids.length; ++i) {
            IReceivables.ReceivableView memory r = receivables.receivableOf(ids[i]);
            uint256 sum;
            for (uint256 j; j < members.length; ++j) {
                sum += receivables.settledOf(ids[i], members[j]);
            }
            require(sum == r.settledTotal, "settled amounts != settled total");
            require(sum <= r.paid, "settled more than paid");
            if (r.status == IReceivables.ReceivableStatus.Settled) require(sum == r.faceValue, "settled != face value");
        }
        require(!handler.ghostSettledDecreased(), "a settled amount decreased");
    }

    /// @notice No amount is counted in two lots: each holder's earmark is exactly the sum of its live
    /// lots (a holder closed by settlement has no earmark left, its lots only a record).
    function invariant_lotsAddUpToEarmarks() public view {
        uint256[] memory ids = handler.receivableIds();
        address[] memory members = handler.members();
        uint256 lotCount = handler.lotCount();
        for (uint256 i; i < ids.length; ++i) {
            IReceivables.ReceivableView memory r = receivables.receivableOf(ids[i]);
            for (uint256 j; j < members.length; ++j) {
                bool closed = r.paid == r.faceValue && receivables.balanceOf(members[j], ids[i]) == 0;
                uint256 sum;
                for (uint256 lotId = 1; lotId <= lotCount; ++lotId) {
                    try receivables.lotOf(lotId) returns (IReceivables.Lot memory lot) {
                        if (lot.receivableId == ids[i] && lot.holder == members[j]) sum += lot.amount;
                    } catch {}
                }
                require(receivables.earmarkedOf(ids[i], members[j]) == (closed ? 0 : sum), "earmark != its lots");
            }
        }
    }

    /// @notice The handler's actions reach the contract and succeed when they should: one story
    /// through every action (the fuzzer then mixes them at random).
    function test_handlerExercisesEveryAction() public {
        handler.register(0, 1, 1e9, true);
        handler.transfer(0, 0, 2, 3e8);
        handler.earmark(0, 2, 1e8);
        handler.lienAction(1, 0, 0, 0); // lock
        handler.lienAction(1, 2, 1e7, 0); // release part
        handler.lienAction(1, 3, 0, 3); // seize to member 3
        handler.earmark(0, 0, 1e8);
        handler.releaseLot(2);
        handler.earmark(0, 0, 1e8);
        handler.lienAction(3, 0, 0, 0); // lock lot 3
        handler.lienAction(3, 1, 0, 0); // unlock lot 3
        handler.sell(0, 0, 0, 1e8);
        handler.disputeOrFreeze(0, 0); // dispute
        handler.disputeOrFreeze(0, 0); // resolve
        handler.disputeOrFreeze(0, 1); // freeze
        handler.disputeOrFreeze(0, 1); // unfreeze
        handler.pay(0, 4e8, false);
        handler.settle(0, type(uint256).max);
        handler.pay(0, 0, true);
        handler.settle(0, type(uint256).max);
        handler.register(1, 2, 5e8, false);
        handler.confirmCancelOrReject(1, 1); // reject
        handler.register(1, 2, 5e8, false);
        handler.confirmCancelOrReject(2, 2); // cancel
        handler.register(1, 2, 5e8, false);
        handler.confirmCancelOrReject(3, 0); // confirm
        string[16] memory actions = [
            "register", "confirm", "reject", "cancel", "transfer", "earmark", "releaseLot", "lock", "unlock",
            "releasePart", "seize", "sale", "dispute", "resolveDispute", "freeze", "pay"
        ];
        for (uint256 i; i < actions.length; ++i) {
            require(handler.calls(bytes32(bytes(actions[i]))) > 0, actions[i]);
        }
        require(handler.calls("settle") == 2 && handler.calls("unfreeze") == 1, "settle/unfreeze");
        require(receivables.receivableOf(1).status == IReceivables.ReceivableStatus.Settled, "not settled");
        invariant_balancesEqualOutstandingFaceValue();
        invariant_earmarkedWithinBalance();
        invariant_settledWithinPaid();
        invariant_lotsAddUpToEarmarks();
    }

    function _admitAll(uint160 base, uint256 count, uint32 roles) private returns (address[] memory accounts) {
        accounts = new address[](count);
        for (uint256 i; i < count; ++i) {
            accounts[i] = address(base + uint160(i));
            registry.admit(accounts[i], roles, keccak256(abi.encode(accounts[i])), "member", "", bytes32(0));
        }
    }
}
