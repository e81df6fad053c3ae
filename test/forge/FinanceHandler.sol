// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ICollateral} from "../../contracts/finance/ICollateral.sol";
import {ILienRegistry} from "../../contracts/finance/ILienRegistry.sol";
import {IProvenanceLedger} from "../../contracts/provenance/IProvenanceLedger.sol";
import {IWarehouseReceipt} from "../../contracts/warehouse/IWarehouseReceipt.sol";
import {ForgeBase} from "./Vm.sol";

/// @notice The members a {FinanceHandler} acts for.
struct FinanceActors {
    address[] enterprises;
    address[] warehouses;
    address[] banks;
    address regulator;
}

/// @notice Drives warehouse receipts and pledges with bounded random actions: deposits, receipt issue,
/// transfer, split, redemption, freeze and unfreeze; pledge offers, acceptance, repayments, partial
/// and full release, enforcement; and attacks that must fail (moving, splitting, redeeming or
/// re-pledging a pledged receipt, a second lien on pledged goods, shipping or re-receipting goods
/// under a receipt).
/// @dev Like {ProvenanceHandler}, every ordinary action picks a target on which it should succeed and
/// records a revert as a finding; every attack records a success as a finding. The handler keeps its
/// own clock and warps to it before each action, so time only moves forward (enforcement jumps past
/// maturity). Ghost state: every receipt ever minted with its issuing warehouse, the holder each
/// pledged receipt had when its lien started, every loan's terms, and per warehouse the quantity
/// deposited and redeemed.
contract FinanceHandler is ForgeBase {
    uint64 internal constant GTIN = 4006381333931;
    bytes3 internal constant CURRENCY = "CNY";
    uint32 internal constant MARGIN_CALL_BPS = 8_000;

    IProvenanceLedger public immutable ledger;
    IWarehouseReceipt public immutable receipts;
    ILienRegistry public immutable liens;

    address[] internal _enterprises;
    address[] internal _warehouses;
    address[] internal _banks;
    address[] internal _members;
    address internal immutable _regulator;

    uint256 public clock;

    // ---- ghost state ------------------------------------------------------------------------
    uint256[] internal _receiptIds;
    mapping(uint256 receiptId => bool) public redeemed;
    mapping(uint256 receiptId => address) public issuingWarehouse;
    /// @notice The holder of a receipt when its current lien started; zero while it is not pledged.
    mapping(uint256 receiptId => address) public pledgedHolder;
    ILienRegistry.LoanTerms[] internal _loans;
    mapping(address warehouse => uint256) public deposited;
    mapping(address warehouse => uint256) public redeemedQuantity;

    /// @notice Attacks that succeeded (each must stay false).
    bool public ghostPledgedReceiptMoved;
    bool public ghostPledgedReceiptSplit;
    bool public ghostPledgedReceiptRedeemed;
    bool public ghostSecondLienAccepted;
    bool public ghostPledgedReceiptReoffered;
    bool public ghostGoodsUnderReceiptShipped;
    bool public ghostSecondReceiptIssued;
    /// @notice Enforcement did not hand the receipt to the named buyer, free.
    bool public ghostEnforcementMismatch;

    /// @notice Set when a contract refused an action the handler chose to be valid; the first such
    /// call and its revert data are kept for the failure message.
    bool public ghostUnexpectedRevert;
    bytes public ghostRevertCall;
    bytes public ghostRevertData;

    /// @notice Successful calls per action, to show the run exercised the contracts.
    mapping(bytes32 action => uint256) public calls;

    constructor(
        IProvenanceLedger ledger_,
        IWarehouseReceipt receipts_,
        ILienRegistry liens_,
        FinanceActors memory actors_,
        uint256 startTime
    ) {
        ledger = ledger_;
        receipts = receipts_;
        liens = liens_;
        _enterprises = actors_.enterprises;
        _warehouses = actors_.warehouses;
        _banks = actors_.banks;
        _regulator = actors_.regulator;
        for (uint256 i; i < _enterprises.length; ++i) {
            _members.push(_enterprises[i]);
        }
        for (uint256 i; i < _banks.length; ++i) {
            _members.push(_banks[i]);
        }
        clock = startTime;
    }

    /// @dev Every action runs at the handler's clock, which only moves forward.
    modifier atHandlerTime() {
        vm.warp(clock);
        _;
    }

    // ---- views for the invariant test -------------------------------------------------------

    function receiptIds() external view returns (uint256[] memory) {
        return _receiptIds;
    }

    function loanCount() external view returns (uint256) {
        return _loans.length;
    }

    function loanTerms(uint256 index) external view returns (ILienRegistry.LoanTerms memory) {
        return _loans[index];
    }

    function warehouses() external view returns (address[] memory) {
        return _warehouses;
    }

    // ---- goods and receipts -----------------------------------------------------------------

    /// @notice An enterprise commissions a batch and deposits it at a warehouse (ship and receive).
    function deposit(uint256 actorSeed, uint256 warehouseSeed, uint96 quantity) external atHandlerTime {
        address producer = _pick(_enterprises, actorSeed);
        address warehouse = _pick(_warehouses, warehouseSeed);
        quantity = uint96(bound(quantity, 1, 1e9));
        (bool ok, bytes memory ret) = _act(
            producer,
            address(ledger),
            abi.encodeCall(IProvenanceLedger.commission, (GTIN, "LOT", quantity, "KGM", 370600, uint64(clock), 0))
        );
        if (!ok) return;
        uint256 batchId = abi.decode(ret, (uint256));
        (ok,) = _act(
            producer, address(ledger), abi.encodeCall(IProvenanceLedger.ship, (batchId, warehouse, quantity, address(0), 0))
        );
        if (!ok) return;
        (ok,) = _act(warehouse, address(ledger), abi.encodeCall(IProvenanceLedger.receiveShipment, (batchId)));
        if (!ok) return;
        deposited[warehouse] += quantity;
        calls["deposit"]++;
    }

    /// @notice A warehouse issues a receipt for all or part of goods it holds that are under no receipt.
    function issue(uint256 batchSeed, uint256 quantitySeed, uint256 holderSeed) external atHandlerTime {
        (uint256 batchId, bool found) = _findReceiptableBatch(batchSeed);
        if (!found) return;
        IProvenanceLedger.Batch memory batch = ledger.batchOf(batchId);
        uint96 quantity = quantitySeed % 2 == 0 ? batch.quantity : uint96(bound(quantitySeed / 2, 1, batch.quantity));
        (bool ok, bytes memory ret) = _act(
            batch.custodian,
            address(receipts),
            abi.encodeCall(IWarehouseReceipt.issue, (_issuance(batchId, quantity, _pick(_enterprises, holderSeed))))
        );
        if (!ok) return;
        (uint256 receiptId,) = abi.decode(ret, (uint256, uint256));
        _recordReceipt(receiptId, batch.custodian);
        calls["issue"]++;
    }

    /// @notice The holder of a free receipt transfers it to another member.
    function transfer(uint256 receiptSeed, uint256 toSeed) external atHandlerTime {
        (uint256 receiptId, bool found) = _findReceipt(receiptSeed, Filter.Free);
        if (!found) return;
        address holder = receipts.collateralHolder(receiptId);
        address to = _pickOther(_members, toSeed, holder);
        (bool ok,) = _act(holder, address(receipts), abi.encodeWithSignature(
            "transferFrom(address,address,uint256)", holder, to, receiptId
        ));
        if (ok) calls["transfer"]++;
    }

    /// @notice The holder of a free receipt splits part of it off.
    function split(uint256 receiptSeed, uint256 quantitySeed) external atHandlerTime {
        (uint256 receiptId, bool found) = _findReceipt(receiptSeed, Filter.FreeAndSplittable);
        if (!found) return;
        IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(receiptId);
        uint96[] memory quantities = new uint96[](1);
        quantities[0] = uint96(bound(quantitySeed, 1, r.quantity - 1));
        (bool ok, bytes memory ret) =
            _act(r.holder, address(receipts), abi.encodeCall(IWarehouseReceipt.split, (receiptId, quantities)));
        if (!ok) return;
        uint256[] memory newIds = abi.decode(ret, (uint256[]));
        _recordReceipt(newIds[0], issuingWarehouse[receiptId]);
        calls["split"]++;
    }

    /// @notice The holder of a free receipt redeems it: the goods leave the warehouse, the receipt burns.
    function redeem(uint256 receiptSeed) external atHandlerTime {
        (uint256 receiptId, bool found) = _findReceipt(receiptSeed, Filter.Free);
        if (!found) return;
        IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(receiptId);
        (bool ok,) = _act(r.holder, address(receipts), abi.encodeCall(IWarehouseReceipt.requestRedemption, (receiptId)));
        if (!ok) return;
        (ok,) = _act(r.warehouse, address(receipts), abi.encodeCall(IWarehouseReceipt.confirmRedemption, (receiptId, 0)));
        if (!ok) return;
        redeemed[receiptId] = true;
        redeemedQuantity[r.warehouse] += r.quantity;
        calls["redeem"]++;
    }

    /// @notice The regulator freezes a live receipt (pledged or not), or unfreezes a frozen one.
    function freezeOrUnfreeze(uint256 receiptSeed, bool freezing) external atHandlerTime {
        (uint256 receiptId, bool found) = _findReceipt(receiptSeed, freezing ? Filter.Unfrozen : Filter.Frozen);
        if (!found) return;
        bytes memory data = freezing
            ? abi.encodeCall(IWarehouseReceipt.freeze, (receiptId, keccak256("court order")))
            : abi.encodeCall(IWarehouseReceipt.unfreeze, (receiptId, keccak256("order lifted")));
        (bool ok,) = _act(_regulator, address(receipts), data);
        if (ok) calls[freezing ? bytes32("freeze") : bytes32("unfreeze")]++;
    }

    // ---- pledges ----------------------------------------------------------------------------

    /// @notice The holder of an unpledged receipt offers it to a bank.
    function offer(uint256 receiptSeed, uint256 bankSeed, uint96 principal, uint256 termSeed) external atHandlerTime {
        (uint256 receiptId, bool found) = _findReceipt(receiptSeed, Filter.Unpledged);
        if (!found) return;
        address holder = receipts.collateralHolder(receiptId);
        ILienRegistry.LoanTerms memory terms = ILienRegistry.LoanTerms({
            collateral: ICollateral(address(receipts)),
            collateralId: receiptId,
            borrower: holder,
            financier: _pickOther(_banks, bankSeed, holder),
            principal: uint96(bound(principal, 1, 1e15)),
            currency: CURRENCY,
            maturity: uint64(clock + bound(termSeed, 2 days, 30 days)),
            rateBps: 450,
            marginCallLtvBps: MARGIN_CALL_BPS,
            offerExpiresAt: uint64(clock + 1 days),
            salt: bytes32(_loans.length)
        });
        (bool ok,) = _act(holder, address(liens), abi.encodeCall(ILienRegistry.offer, (terms)));
        if (!ok) return;
        _loans.push(terms);
        calls["offer"]++;
    }

    /// @notice The borrower withdraws an open offer.
    function withdrawOffer(uint256 loanSeed) external atHandlerTime {
        (uint256 index, bool found) = _findLoan(loanSeed, ILienRegistry.LoanStatus.Offered);
        if (!found) return;
        ILienRegistry.LoanTerms memory terms = _loans[index];
        (bool ok,) = _act(terms.borrower, address(liens), abi.encodeCall(ILienRegistry.withdrawOffer, (terms)));
        if (ok) calls["withdrawOffer"]++;
    }

    /// @notice The bank accepts an open offer whose receipt its borrower still holds, free, at a
    /// valuation of twice the principal (a 50 % loan-to-value ratio).
    function accept(uint256 loanSeed) external atHandlerTime {
        (uint256 index, bool found) = _findAcceptableOffer(loanSeed);
        if (!found) return;
        ILienRegistry.LoanTerms memory terms = _loans[index];
        (bool ok,) = _act(
            terms.financier, address(liens), abi.encodeCall(ILienRegistry.accept, (terms, terms.principal * 2))
        );
        if (!ok) return;
        pledgedHolder[terms.collateralId] = terms.borrower;
        calls["accept"]++;
    }

    function recordRepayment(uint256 loanSeed, uint96 amount) external atHandlerTime {
        (uint256 index, bool found) = _findLoan(loanSeed, ILienRegistry.LoanStatus.Active);
        if (!found) return;
        ILienRegistry.LoanTerms memory terms = _loans[index];
        uint96 outstanding = liens.loanOf(liens.loanIdOf(terms)).outstanding;
        if (outstanding == 0) return;
        amount = uint96(bound(amount, 1, outstanding));
        (bool ok,) = _act(
            terms.financier, address(liens), abi.encodeCall(ILienRegistry.recordRepayment, (terms, amount, 0))
        );
        if (ok) calls["recordRepayment"]++;
    }

    /// @notice The bank frees part of an unfrozen pledged receipt; the part becomes a free receipt.
    function releasePart(uint256 loanSeed, uint256 quantitySeed) external atHandlerTime {
        (uint256 index, bool found) = _findLoan(loanSeed, ILienRegistry.LoanStatus.Active);
        if (!found) return;
        ILienRegistry.LoanTerms memory terms = _loans[index];
        IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(terms.collateralId);
        if (r.frozen || r.quantity < 2) return;
        uint256 quantity = bound(quantitySeed, 1, r.quantity - 1);
        (bool ok, bytes memory ret) =
            _act(terms.financier, address(liens), abi.encodeCall(ILienRegistry.releasePart, (terms, quantity)));
        if (!ok) return;
        _recordReceipt(abi.decode(ret, (uint256)), issuingWarehouse[terms.collateralId]);
        calls["releasePart"]++;
    }

    function release(uint256 loanSeed) external atHandlerTime {
        (uint256 index, bool found) = _findLoan(loanSeed, ILienRegistry.LoanStatus.Active);
        if (!found) return;
        ILienRegistry.LoanTerms memory terms = _loans[index];
        (bool ok,) = _act(terms.financier, address(liens), abi.encodeCall(ILienRegistry.release, (terms)));
        if (!ok) return;
        pledgedHolder[terms.collateralId] = address(0);
        calls["release"]++;
    }

    /// @notice After maturity (the clock jumps there if needed) the bank enforces a loan with an
    /// amount outstanding on an unfrozen receipt, to itself or to another member.
    function enforce(uint256 loanSeed, uint256 toSeed) external {
        (uint256 index, bool found) = _findLoan(loanSeed, ILienRegistry.LoanStatus.Active);
        if (!found) return;
        ILienRegistry.LoanTerms memory terms = _loans[index];
        if (liens.loanOf(liens.loanIdOf(terms)).outstanding == 0) return;
        if (receipts.receiptOf(terms.collateralId).frozen) return;
        if (clock <= terms.maturity) clock = uint256(terms.maturity) + 1;
        vm.warp(clock);
        address to = toSeed % 2 == 0 ? terms.financier : _pick(_members, toSeed / 2);
        (bool ok,) = _act(terms.financier, address(liens), abi.encodeCall(ILienRegistry.enforce, (terms, to)));
        if (!ok) return;
        IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(terms.collateralId);
        if (r.holder != to || r.pledged) ghostEnforcementMismatch = true;
        pledgedHolder[terms.collateralId] = address(0);
        calls["enforce"]++;
    }

    /// @notice Lets time pass (offers expire, loans mature).
    function wait(uint256 secondsSeed) external {
        clock += bound(secondsSeed, 1 hours, 10 days);
    }

    // ---- attacks: each must fail ------------------------------------------------------------

    /// @notice Tries to move a pledged receipt out from under its lien: transfer, split or redeem.
    function attackPledgedReceipt(uint256 receiptSeed, uint256 toSeed, uint8 how) external atHandlerTime {
        (uint256 receiptId, bool found) = _findReceipt(receiptSeed, Filter.Pledged);
        if (!found) return;
        address holder = receipts.collateralHolder(receiptId);
        how %= 3;
        if (how == 0) {
            address to = _pickOther(_members, toSeed, holder);
            bytes memory data =
                abi.encodeWithSignature("transferFrom(address,address,uint256)", holder, to, receiptId);
            if (_attempt(holder, address(receipts), data)) ghostPledgedReceiptMoved = true;
        } else if (how == 1) {
            uint96[] memory quantities = new uint96[](1);
            quantities[0] = 1;
            if (_attempt(holder, address(receipts), abi.encodeCall(IWarehouseReceipt.split, (receiptId, quantities)))) {
                ghostPledgedReceiptSplit = true;
            }
        } else if (_attempt(holder, address(receipts), abi.encodeCall(IWarehouseReceipt.requestRedemption, (receiptId)))) {
            ghostPledgedReceiptRedeemed = true;
        }
        calls["attackPledgedReceipt"]++;
    }

    /// @notice Tries to pledge goods that already back an active loan: a new offer by the holder, and
    /// acceptance of an offer made before the lien started.
    function attackSecondLien(uint256 loanSeed, uint256 bankSeed) external atHandlerTime {
        (uint256 index, bool found) = _findLoan(loanSeed, ILienRegistry.LoanStatus.Active);
        if (!found) return;
        ILienRegistry.LoanTerms memory terms = _loans[index];
        terms.financier = _pickOther(_banks, bankSeed, terms.borrower);
        terms.salt = keccak256(abi.encode("second lien", _loans.length, bankSeed));
        terms.offerExpiresAt = uint64(clock + 1 hours);
        if (terms.maturity <= terms.offerExpiresAt) terms.maturity = terms.offerExpiresAt + 1;
        if (_attempt(terms.borrower, address(liens), abi.encodeCall(ILienRegistry.offer, (terms)))) {
            ghostPledgedReceiptReoffered = true;
        }
        // An offer on the same receipt still open from before the lien: its acceptance must fail.
        for (uint256 k; k < _loans.length; ++k) {
            ILienRegistry.LoanTerms memory other = _loans[k];
            if (other.collateralId != terms.collateralId || k == index || other.offerExpiresAt < clock) continue;
            if (liens.loanOf(liens.loanIdOf(other)).status != ILienRegistry.LoanStatus.Offered) continue;
            bytes memory data = abi.encodeCall(ILienRegistry.accept, (other, other.principal * 2));
            if (_attempt(other.financier, address(liens), data)) ghostSecondLienAccepted = true;
            break;
        }
        calls["attackSecondLien"]++;
    }

    /// @notice The warehouse tries to ship goods under a live receipt, or to issue a second receipt on them.
    function attackGoodsUnderReceipt(uint256 receiptSeed, uint256 toSeed, bool reissue) external atHandlerTime {
        (uint256 receiptId, bool found) = _findReceipt(receiptSeed, Filter.Live);
        if (!found) return;
        IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(receiptId);
        if (reissue) {
            bytes memory data = abi.encodeCall(
                IWarehouseReceipt.issue, (_issuance(r.batchId, r.quantity, _pick(_enterprises, toSeed)))
            );
            if (_attempt(r.warehouse, address(receipts), data)) ghostSecondReceiptIssued = true;
        } else {
            bytes memory data = abi.encodeCall(
                IProvenanceLedger.ship, (r.batchId, _pick(_enterprises, toSeed), r.quantity, address(0), 0)
            );
            if (_attempt(r.warehouse, address(ledger), data)) ghostGoodsUnderReceiptShipped = true;
        }
        calls["attackGoodsUnderReceipt"]++;
    }

    // ---- helpers ----------------------------------------------------------------------------

    enum Filter {
        Live,
        Free,
        FreeAndSplittable,
        Unpledged,
        Pledged,
        Frozen,
        Unfrozen
    }

    function _recordReceipt(uint256 receiptId, address warehouse) internal {
        _receiptIds.push(receiptId);
        issuingWarehouse[receiptId] = warehouse;
    }

    function _issuance(uint256 batchId, uint96 quantity, address holder)
        internal
        pure
        returns (IWarehouseReceipt.Issuance memory)
    {
        return IWarehouseReceipt.Issuance({
            batchId: batchId,
            quantity: quantity,
            holder: holder,
            expiresAt: 0,
            insuredValue: 0,
            insuranceCurrency: bytes3(0),
            policyHash: 0,
            documentHash: keccak256("deposit note"),
            location: "bay 12"
        });
    }

    /// @dev Calls `target` as `actor`. The action was chosen to be valid, so a revert is a finding.
    function _act(address actor, address target, bytes memory data) internal returns (bool ok, bytes memory ret) {
        vm.prank(actor);
        (ok, ret) = target.call(data);
        if (!ok && !ghostUnexpectedRevert) {
            ghostUnexpectedRevert = true;
            ghostRevertCall = data;
            ghostRevertData = ret;
        }
    }

    /// @dev Calls `target` as `actor` in an attack: success is the finding.
    function _attempt(address actor, address target, bytes memory data) internal returns (bool ok) {
        vm.prank(actor);
        (ok,) = target.call(data);
    }

    function _pick(address[] storage accounts, uint256 seed) internal view returns (address) {
        return accounts[seed % accounts.length];
    }

    /// @dev An account of `accounts` other than `not` (the list has at least two).
    function _pickOther(address[] storage accounts, uint256 seed, address not) internal view returns (address picked) {
        uint256 i = seed % accounts.length;
        picked = accounts[i];
        if (picked == not) picked = accounts[(i + 1) % accounts.length];
    }

    /// @dev An active batch a warehouse holds outside any receipt, scanning from a seed-chosen start.
    function _findReceiptableBatch(uint256 seed) internal view returns (uint256 batchId, bool found) {
        uint256 n = ledger.batchCount();
        if (n == 0) return (0, false);
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint256 id = ((start + k) % n) + 1;
            IProvenanceLedger.Batch memory b = ledger.batchOf(id);
            if (b.status == IProvenanceLedger.BatchStatus.Active && !b.underReceipt && _isWarehouse(b.custodian)) {
                return (id, true);
            }
        }
        return (0, false);
    }

    /// @dev A live receipt matching `filter`, scanning from a seed-chosen start.
    function _findReceipt(uint256 seed, Filter filter) internal view returns (uint256 receiptId, bool found) {
        uint256 n = _receiptIds.length;
        if (n == 0) return (0, false);
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint256 id = _receiptIds[(start + k) % n];
            if (redeemed[id]) continue;
            if (_matches(receipts.receiptOf(id), filter)) return (id, true);
        }
        return (0, false);
    }

    function _matches(IWarehouseReceipt.ReceiptView memory r, Filter filter) internal pure returns (bool) {
        bool free = !r.pledged && !r.frozen && !r.redemptionRequested;
        if (filter == Filter.Live) return true;
        if (filter == Filter.Free) return free;
        if (filter == Filter.FreeAndSplittable) return free && r.quantity >= 2;
        if (filter == Filter.Unpledged) return !r.pledged;
        if (filter == Filter.Pledged) return r.pledged;
        if (filter == Filter.Frozen) return r.frozen;
        return !r.frozen;
    }

    /// @dev A loan in `status`, scanning from a seed-chosen start.
    function _findLoan(uint256 seed, ILienRegistry.LoanStatus status) internal view returns (uint256 index, bool found) {
        uint256 n = _loans.length;
        if (n == 0) return (0, false);
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint256 i = (start + k) % n;
            if (liens.loanOf(liens.loanIdOf(_loans[i])).status == status) return (i, true);
        }
        return (0, false);
    }

    /// @dev An open, unexpired offer whose borrower still holds the receipt, free, with no lien on its goods.
    function _findAcceptableOffer(uint256 seed) internal view returns (uint256 index, bool found) {
        uint256 n = _loans.length;
        if (n == 0) return (0, false);
        uint256 start = seed % n;
        for (uint256 k; k < n; ++k) {
            uint256 i = (start + k) % n;
            ILienRegistry.LoanTerms memory terms = _loans[i];
            if (terms.offerExpiresAt < clock || redeemed[terms.collateralId]) continue;
            if (liens.loanOf(liens.loanIdOf(terms)).status != ILienRegistry.LoanStatus.Offered) continue;
            IWarehouseReceipt.ReceiptView memory r = receipts.receiptOf(terms.collateralId);
            if (r.holder != terms.borrower || !_matches(r, Filter.Free)) continue;
            if (liens.lienOn(receipts.collateralKey(terms.collateralId)) != 0) continue;
            return (i, true);
        }
        return (0, false);
    }

    function _isWarehouse(address account) internal view returns (bool) {
        for (uint256 i; i < _warehouses.length; ++i) {
            if (_warehouses[i] == account) return true;
        }
        return false;
    }
}
