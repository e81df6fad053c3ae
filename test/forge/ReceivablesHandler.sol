// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IReceivables} from "../../contracts/receivables/IReceivables.sol";
import {Receivables} from "../../contracts/receivables/Receivables.sol";
import {ForgeBase} from "./Vm.sol";

/// @notice Drives the receivables with bounded random actions: register and confirm, transfers of
/// parts, earmarks and lot releases, the lien registry's lock / unlock / releasePart / seize (sent
/// from its address), sales to banks, disputes, freezes, payments and settlement of random subsets
/// of holders (repeated holders included).
/// @dev Actions pick plausible arguments and call through `try`: a refusal is a legitimate outcome
/// here (the hardhat suite checks each refusal's reason), the invariants check what any sequence of
/// accepted calls leaves behind. Ghost state: every receivable and lot id, and whether a holder's
/// settled amount ever went down.
contract ReceivablesHandler is ForgeBase {
    bytes3 internal constant CURRENCY = "CNY";

    Receivables public immutable receivables;
    address public immutable lienRegistry;
    address internal immutable _regulator;
    address[] internal _enterprises;
    address[] internal _banks;
    address[] internal _members;

    uint256[] internal _receivableIds;
    uint256 public lotCount;
    uint256 internal _invoiceNonce;
    /// @notice A holder's settled amount was seen to decrease (must stay false).
    bool public ghostSettledDecreased;
    mapping(uint256 receivableId => mapping(address holder => uint256)) internal _lastSettled;
    mapping(bytes32 action => uint256) public calls;

    constructor(
        Receivables receivables_,
        address lienRegistry_,
        address[] memory enterprises_,
        address[] memory banks_,
        address regulator_
    ) {
        receivables = receivables_;
        lienRegistry = lienRegistry_;
        _enterprises = enterprises_;
        _banks = banks_;
        _regulator = regulator_;
        for (uint256 i; i < enterprises_.length; ++i) _members.push(enterprises_[i]);
        for (uint256 i; i < banks_.length; ++i) _members.push(banks_[i]);
    }

    // ---- views for the invariants ------------------------------------------------------------

    function receivableIds() external view returns (uint256[] memory) {
        return _receivableIds;
    }

    function members() external view returns (address[] memory) {
        return _members;
    }

    // ---- actions ------------------------------------------------------------------------------

    function register(uint256 creditorSeed, uint256 debtorSeed, uint96 faceValue, bool confirm) external {
        address creditor = _enterprises[creditorSeed % _enterprises.length];
        address debtor = _enterprises[debtorSeed % _enterprises.length];
        if (debtor == creditor) debtor = _enterprises[(debtorSeed + 1) % _enterprises.length];
        faceValue = uint96(bound(faceValue, 1, 1e15));
        vm.prank(creditor);
        try receivables.register(
            debtor, faceValue, CURRENCY, uint64(block.timestamp + 90 days), 1 days, keccak256(abi.encode(++_invoiceNonce)), 0
        ) returns (uint256 id) {
            _receivableIds.push(id);
            calls["register"]++;
            if (confirm) {
                vm.prank(debtor);
                receivables.confirm(id);
            }
        } catch {}
    }

    function confirmCancelOrReject(uint256 idSeed, uint8 choice) external {
        (uint256 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        address debtor = receivables.receivableOf(id).debtor;
        choice %= 3;
        if (choice == 0) {
            vm.prank(debtor);
            try receivables.confirm(id) {calls["confirm"]++;} catch {}
        } else if (choice == 1) {
            vm.prank(debtor);
            try receivables.reject(id, 0) {calls["reject"]++;} catch {}
        } else {
            for (uint256 i; i < _enterprises.length; ++i) {
                vm.prank(_enterprises[i]);
                try receivables.cancel(id, 0) {
                    calls["cancel"]++;
                    break;
                } catch {}
            }
        }
    }

    function transfer(uint256 idSeed, uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        (uint256 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        address from = _members[fromSeed % _members.length];
        address to = _members[toSeed % _members.length];
        uint256 free = receivables.freeAmountOf(id, from);
        if (free == 0) return;
        amount = bound(amount, 1, free);
        vm.prank(from);
        try receivables.safeTransferFrom(from, to, id, amount, "") {calls["transfer"]++;} catch {}
    }

    function earmark(uint256 idSeed, uint256 holderSeed, uint256 amount) external {
        (uint256 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        address holder = _members[holderSeed % _members.length];
        uint256 free = receivables.freeAmountOf(id, holder);
        if (free == 0) return;
        amount = bound(amount, 1, free);
        vm.prank(holder);
        try receivables.earmark(id, uint96(amount)) returns (uint256 lotId) {
            lotCount = lotId;
            calls["earmark"]++;
        } catch {}
    }

    function releaseLot(uint256 lotSeed) external {
        if (lotCount == 0) return;
        uint256 lotId = bound(lotSeed, 1, lotCount);
        try receivables.lotOf(lotId) returns (IReceivables.Lot memory lot) {
            vm.prank(lot.holder);
            try receivables.releaseLot(lotId) {calls["releaseLot"]++;} catch {}
        } catch {}
    }

    /// @notice The lien registry's side: lock, unlock, release part of, or seize a lot.
    function lienAction(uint256 lotSeed, uint8 choice, uint256 amount, uint256 toSeed) external {
        if (lotCount == 0) return;
        uint256 lotId = bound(lotSeed, 1, lotCount);
        vm.startPrank(lienRegistry);
        choice %= 4;
        if (choice == 0) {
            try receivables.lock(lotId) {calls["lock"]++;} catch {}
        } else if (choice == 1) {
            try receivables.unlock(lotId) {calls["unlock"]++;} catch {}
        } else if (choice == 2) {
            try receivables.releasePart(lotId, bound(amount, 1, 1e15)) {calls["releasePart"]++;} catch {}
        } else {
            try receivables.seize(lotId, _members[toSeed % _members.length]) {calls["seize"]++;} catch {}
        }
        vm.stopPrank();
    }

    function sell(uint256 idSeed, uint256 sellerSeed, uint256 bankSeed, uint256 amount) external {
        (uint256 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        address seller = _members[sellerSeed % _members.length];
        address bank = _banks[bankSeed % _banks.length];
        uint256 free = receivables.freeAmountOf(id, seller);
        if (free == 0 || seller == bank) return;
        amount = bound(amount, 1, free);
        vm.prank(seller);
        try receivables.offerSale(id, bank, uint96(amount), uint96(amount - amount / 50)) returns (uint256 saleId) {
            vm.prank(bank);
            try receivables.acceptSale(saleId) {calls["sale"]++;} catch {}
        } catch {}
    }

    function disputeOrFreeze(uint256 idSeed, uint8 choice) external {
        (uint256 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        IReceivables.ReceivableView memory r = receivables.receivableOf(id);
        if (choice % 2 == 0) {
            vm.prank(r.debtor);
            if (r.disputed) {
                try receivables.resolveDispute(id, 0) {calls["resolveDispute"]++;} catch {}
            } else {
                try receivables.dispute(id, 0) {calls["dispute"]++;} catch {}
            }
        } else {
            vm.prank(_regulator);
            if (r.frozen) {
                try receivables.unfreeze(id, 0) {calls["unfreeze"]++;} catch {}
            } else {
                try receivables.freeze(id, 0) {calls["freeze"]++;} catch {}
            }
        }
    }

    function pay(uint256 idSeed, uint256 amount, bool full) external {
        (uint256 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        IReceivables.ReceivableView memory r = receivables.receivableOf(id);
        if (r.outstanding == 0) return;
        amount = full ? r.outstanding : bound(amount, 1, r.outstanding);
        vm.prank(r.debtor);
        try receivables.recordPayment(id, uint96(amount), 0) {calls["pay"]++;} catch {}
    }

    /// @notice Settles a random subset of the members, each possibly listed twice.
    function settle(uint256 idSeed, uint256 mask) external {
        (uint256 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        address[] memory list = new address[](_members.length * 2);
        uint256 n;
        for (uint256 i; i < _members.length * 2; ++i) {
            if ((mask >> i) & 1 == 1) list[n++] = _members[i % _members.length];
        }
        assembly ("memory-safe") {
            mstore(list, n)
        }
        try receivables.settleHolders(id, list) {calls["settle"]++;} catch {}
        for (uint256 i; i < _members.length; ++i) {
            uint256 settled = receivables.settledOf(id, _members[i]);
            if (settled < _lastSettled[id][_members[i]]) ghostSettledDecreased = true;
            _lastSettled[id][_members[i]] = settled;
        }
    }

    function _pick(uint256 seed) internal view returns (uint256 id, bool ok) {
        if (_receivableIds.length == 0) return (0, false);
        return (_receivableIds[seed % _receivableIds.length], true);
    }
}
