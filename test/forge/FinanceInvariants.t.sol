// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ICollateral} from "../../contracts/finance/ICollateral.sol";
import {ILienRegistry} from "../../contracts/finance/ILienRegistry.sol";
import {LienRegistry} from "../../contracts/finance/LienRegistry.sol";
import {IMemberRegistry} from "../../contracts/members/IMemberRegistry.sol";
import {MemberRegistry} from "../../contracts/members/MemberRegistry.sol";
import {Roles} from "../../contracts/members/Roles.sol";
import {IProvenanceLedger} from "../../contracts/provenance/IProvenanceLedger.sol";
import {ProvenanceLedger} from "../../contracts/provenance/ProvenanceLedger.sol";
import {IWarehouseReceipt} from "../../contracts/warehouse/IWarehouseReceipt.sol";
import {WarehouseReceipt} from "../../contracts/warehouse/WarehouseReceipt.sol";
import {FinanceActors, FinanceHandler} from "./FinanceHandler.sol";
import {ForgeBase} from "./Vm.sol";

/// @notice The one cheatcode this suite needs beyond those in Vm.sol.
interface VmNonce {
    function getNonce(address account) external view returns (uint64);
}

/// @notice The four contracts deployed as shared/chain/deploy.ts does, a few members of each role and
/// a {FinanceHandler} acting for them; shared by the invariant suite and the handler's own test.
abstract contract FinanceFixture is ForgeBase {
    MemberRegistry internal registry;
    ProvenanceLedger internal ledger;
    LienRegistry internal liens;
    WarehouseReceipt internal receipts;
    FinanceHandler internal handler;

    function _deployFixture() internal {
        vm.warp(1_750_000_000);
        _deploy();
        FinanceActors memory actors = FinanceActors({
            enterprises: _admitAll(0xE000, 4, Roles.ENTERPRISE),
            warehouses: _admitAll(0x3000, 2, Roles.WAREHOUSE),
            banks: _admitAll(0xB000, 2, Roles.FINANCIER),
            regulator: address(0x5E6)
        });
        _admit(actors.regulator, Roles.REGULATOR);
        vm.prank(actors.enterprises[0]);
        ledger.registerProduct(4006381333931, "080610", "grapes", "");
        handler = new FinanceHandler(ledger, receipts, liens, actors, block.timestamp);
        vm.label(address(handler), "handler");
    }

    /// @dev The ledger and the lien registry must know the receipts contract, which needs both of
    /// their addresses: deploy them at consecutive nonces and predict the receipts' address, as
    /// shared/chain/deploy.ts does.
    function _deploy() private {
        registry = new MemberRegistry(address(this));
        uint64 nonce = VmNonce(address(vm)).getNonce(address(this));
        address predictedReceipts = _createAddress(address(this), nonce + 2);
        ledger = new ProvenanceLedger(IMemberRegistry(address(registry)), predictedReceipts);
        ICollateral[] memory modules = new ICollateral[](1);
        modules[0] = ICollateral(predictedReceipts);
        liens = new LienRegistry(IMemberRegistry(address(registry)), modules);
        receipts = new WarehouseReceipt(IMemberRegistry(address(registry)), ledger, address(liens));
        require(address(receipts) == predictedReceipts, "receipts not at the predicted address");
    }

    /// @dev The CREATE address of `deployer`'s contract at `nonce` (RLP of [deployer, nonce], nonce < 128).
    function _createAddress(address deployer, uint256 nonce) private pure returns (address) {
        require(nonce > 0 && nonce < 0x80, "nonce outside the one-byte RLP form");
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, uint8(nonce))))));
    }

    function _admitAll(uint160 base, uint256 count, uint32 roles) private returns (address[] memory accounts) {
        accounts = new address[](count);
        for (uint256 i; i < count; ++i) {
            accounts[i] = address(base + uint160(i));
            _admit(accounts[i], roles);
        }
    }

    function _admit(address account, uint32 roles) private {
        registry.admit(account, roles, keccak256(abi.encode(account)), "member", "", bytes32(0));
    }

    /// @dev Receipts the handler minted and did not redeem.
    function _liveReceipts() internal view returns (uint256[] memory live) {
        uint256[] memory all = handler.receiptIds();
        live = new uint256[](all.length);
        uint256 count;
        for (uint256 i; i < all.length; ++i) {
            if (!handler.redeemed(all[i])) live[count++] = all[i];
        }
        assembly ("memory-safe") {
            mstore(live, count)
        }
    }
}

/// @notice Stateful invariants of warehouse receipts and the lien registry together, under random
/// deposit / issue / transfer / split / redeem / freeze / offer / accept / repay / releasePart /
/// release / enforce sequences and attacks, driven by {FinanceHandler}.
contract FinanceInvariants is FinanceFixture {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    function setUp() public {
        _deployFixture();
    }

    /// @dev Read by forge: fuzz only the handler...
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev ...and only its actions (not its ghost getters). Deposits and issues come twice as often
    /// as the rest, so the population of receipts keeps growing while pledges come and go.
    function targetSelectors() public view returns (FuzzSelector[] memory selectors) {
        bytes4[] memory actions = new bytes4[](20);
        actions[0] = FinanceHandler.deposit.selector;
        actions[1] = FinanceHandler.deposit.selector;
        actions[2] = FinanceHandler.issue.selector;
        actions[3] = FinanceHandler.issue.selector;
        actions[4] = FinanceHandler.transfer.selector;
        actions[5] = FinanceHandler.split.selector;
        actions[6] = FinanceHandler.redeem.selector;
        actions[7] = FinanceHandler.freezeOrUnfreeze.selector;
        actions[8] = FinanceHandler.offer.selector;
        actions[9] = FinanceHandler.withdrawOffer.selector;
        actions[10] = FinanceHandler.accept.selector;
        actions[11] = FinanceHandler.recordRepayment.selector;
        actions[12] = FinanceHandler.releasePart.selector;
        actions[13] = FinanceHandler.release.selector;
        actions[14] = FinanceHandler.enforce.selector;
        actions[15] = FinanceHandler.wait.selector;
        actions[16] = FinanceHandler.attackPledgedReceipt.selector;
        actions[17] = FinanceHandler.attackSecondLien.selector;
        actions[18] = FinanceHandler.attackGoodsUnderReceipt.selector;
        actions[19] = FinanceHandler.offer.selector;
        selectors = new FuzzSelector[](1);
        selectors[0] = FuzzSelector({addr: address(handler), selectors: actions});
    }

    /// (1) Receipts never claim more goods than the warehouse holds: every live receipt's batch is
    /// under receipt in the ledger, in the custody of the issuing warehouse and active; no two live
    /// receipts share a batch and no batch is under receipt without one; per warehouse, the quantity
    /// under live receipts is at most what it holds, which is what was deposited less what was redeemed.
    function invariant_receiptsNeverExceedGoodsInTheWarehouse() public view {
        uint256[] memory live = _liveReceipts();
        uint256[] memory batchIds = new uint256[](live.length);
        for (uint256 i; i < live.length; ++i) {
            IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(live[i]);
            require(ledger.isUnderReceipt(r.batchId), "receipt over a batch not under receipt");
            require(r.warehouse == handler.issuingWarehouse(live[i]), "goods left the issuing warehouse");
            require(r.batchStatus == IProvenanceLedger.BatchStatus.Active, "goods under receipt not active");
            for (uint256 j; j < i; ++j) {
                require(batchIds[j] != r.batchId, "two live receipts on one batch");
            }
            batchIds[i] = r.batchId;
        }

        address[] memory warehouses = handler.warehouses();
        uint256[] memory held = new uint256[](warehouses.length);
        uint256[] memory receipted = new uint256[](warehouses.length);
        uint256 batchesUnderReceipt;
        uint256 n = ledger.batchCount();
        for (uint256 id = 1; id <= n; ++id) {
            IProvenanceLedger.Batch memory b = ledger.batchOf(id);
            if (b.underReceipt) ++batchesUnderReceipt;
            for (uint256 w; w < warehouses.length; ++w) {
                if (b.custodian != warehouses[w]) continue;
                held[w] += b.quantity;
                if (b.underReceipt) receipted[w] += b.quantity;
            }
        }
        require(batchesUnderReceipt == live.length, "batch under receipt without a live receipt");
        for (uint256 w; w < warehouses.length; ++w) {
            require(receipted[w] <= held[w], "receipts exceed the goods held");
            uint256 expected = handler.deposited(warehouses[w]) - handler.redeemedQuantity(warehouses[w]);
            require(held[w] == expected, "warehouse stock is not deposits less redemptions");
        }
        require(!handler.ghostGoodsUnderReceiptShipped(), "goods under receipt were shipped");
        require(!handler.ghostSecondReceiptIssued(), "second receipt issued on the same goods");
    }

    /// (2) A pledged receipt's holder changes only by enforcement: it is still the holder at the time
    /// the lien started; transfers, splits and redemptions of pledged receipts were all refused; an
    /// enforcement handed the receipt, free, to the named buyer.
    function invariant_pledgedHolderChangesOnlyByEnforcement() public view {
        uint256[] memory live = _liveReceipts();
        for (uint256 i; i < live.length; ++i) {
            IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(live[i]);
            address holderAtPledge = handler.pledgedHolder(live[i]);
            if (r.pledged) require(r.holder == holderAtPledge, "pledged receipt changed holder");
            else require(holderAtPledge == address(0), "lien ended without release or enforcement");
        }
        require(!handler.ghostPledgedReceiptMoved(), "pledged receipt transferred");
        require(!handler.ghostPledgedReceiptSplit(), "pledged receipt split by its holder");
        require(!handler.ghostPledgedReceiptRedeemed(), "pledged receipt redeemed");
        require(!handler.ghostEnforcementMismatch(), "enforcement did not hand over a free receipt");
    }

    /// (3) Every collateral key has at most one active lien, and a receipt is pledged iff its key has
    /// an active loan: each active loan is the lien on its receipt's key (two active loans on one key
    /// cannot both be), each live receipt is pledged exactly when the lien on its key is an active loan,
    /// and no second lien was accepted or offered on pledged goods.
    function invariant_oneActiveLienPerGoods() public view {
        uint256 loans = handler.loanCount();
        for (uint256 i; i < loans; ++i) {
            ILienRegistry.LoanTerms memory terms = handler.loanTerms(i);
            bytes32 loanId = liens.loanIdOf(terms);
            if (liens.loanOf(loanId).status != ILienRegistry.LoanStatus.Active) continue;
            require(!handler.redeemed(terms.collateralId), "active loan on a redeemed receipt");
            require(liens.lienOn(receipts.collateralKey(terms.collateralId)) == loanId, "active loan without its lien");
        }
        uint256[] memory live = _liveReceipts();
        for (uint256 i; i < live.length; ++i) {
            bytes32 lien = liens.lienOn(receipts.collateralKey(live[i]));
            bool active = lien != 0 && liens.loanOf(lien).status == ILienRegistry.LoanStatus.Active;
            require(lien == 0 || active, "lien of a loan that is not active");
            require(receipts.receiptOf(live[i]).pledged == active, "pledge flag and lien disagree");
        }
        require(!handler.ghostSecondLienAccepted(), "second lien accepted on pledged goods");
        require(!handler.ghostPledgedReceiptReoffered(), "pledged goods offered again");
    }

    /// (4) Liveness: every action the handler picked as valid was accepted.
    function invariant_validActionsAccepted() public view {
        if (handler.ghostUnexpectedRevert()) {
            revert UnexpectedRevert(handler.ghostRevertCall(), handler.ghostRevertData());
        }
    }

    error UnexpectedRevert(bytes call, bytes revertData);
}

/// @notice The handler's actions, one scripted run: each does what it says (so the invariant runs
/// above exercise the contracts rather than skipping every action), and each attack is refused.
contract FinanceHandlerTest is FinanceFixture {
    function setUp() public {
        _deployFixture();
    }

    function test_everyActionTakesEffect() public {
        handler.deposit(0, 0, 1_000);
        handler.deposit(1, 1, 500);
        handler.issue(0, 0, 0); // the whole first batch
        handler.issue(1, 1, 1); // part of the second
        handler.split(0, 100);
        handler.transfer(1, 2);
        handler.offer(0, 0, 1_000_000, 0);
        handler.offer(0, 1, 2_000_000, 0); // a competing offer on the same receipt
        handler.withdrawOffer(1);
        handler.offer(0, 1, 3_000_000, 0);
        handler.accept(0);
        handler.attackPledgedReceipt(0, 1, 0);
        handler.attackPledgedReceipt(0, 1, 1);
        handler.attackPledgedReceipt(0, 1, 2);
        handler.attackSecondLien(0, 1);
        handler.attackGoodsUnderReceipt(0, 0, true);
        handler.attackGoodsUnderReceipt(0, 0, false);
        handler.recordRepayment(0, 400_000);
        handler.releasePart(0, 300);
        handler.freezeOrUnfreeze(0, true);
        handler.freezeOrUnfreeze(0, false);
        handler.wait(0);
        handler.enforce(0, 1);
        handler.redeem(0);

        bytes32[16] memory actions = [
            bytes32("deposit"), "issue", "split", "transfer", "offer", "withdrawOffer", "accept",
            "attackPledgedReceipt", "attackSecondLien", "attackGoodsUnderReceipt", "recordRepayment",
            "releasePart", "freeze", "unfreeze", "enforce", "redeem"
        ];
        for (uint256 i; i < actions.length; ++i) {
            require(handler.calls(actions[i]) > 0, string.concat("no effect: ", string(abi.encodePacked(actions[i]))));
        }
        require(!handler.ghostUnexpectedRevert(), "a valid action reverted");
        require(!handler.ghostPledgedReceiptMoved() && !handler.ghostPledgedReceiptSplit(), "pledged receipt moved");
        require(!handler.ghostPledgedReceiptRedeemed() && !handler.ghostSecondLienAccepted(), "pledge bypassed");
        require(!handler.ghostPledgedReceiptReoffered() && !handler.ghostSecondReceiptIssued(), "goods pledged twice");
        require(!handler.ghostGoodsUnderReceiptShipped() && !handler.ghostEnforcementMismatch(), "goods moved");
    }

    function test_releaseEndsTheLien() public {
        handler.deposit(0, 0, 1_000);
        handler.issue(0, 0, 0);
        handler.offer(0, 0, 1_000_000, 0);
        handler.accept(0);
        handler.release(0);
        require(handler.calls("release") == 1, "release had no effect");
        require(_liveReceipts().length == 1 && !receipts.receiptOf(_liveReceipts()[0]).pledged, "still pledged");
        require(!handler.ghostUnexpectedRevert(), "a valid action reverted");
    }
}
