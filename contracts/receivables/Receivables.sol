// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {ICollateral} from "../finance/ICollateral.sol";
import {IMemberRegistry} from "../members/IMemberRegistry.sol";
import {Roles} from "../members/Roles.sol";
import {TradeCodes} from "../provenance/TradeCodes.sol";
import {IReceivables} from "./IReceivables.sol";

/// @title Receivables
/// @notice Confirmed receivables as ERC-1155 balances: token id = receivable id, balance = the part of
/// the face value (minor units) a member holds. See {IReceivables} for the deviations from ERC-1155:
/// transfers only between active members, only for confirmed receivables that are not disputed, frozen
/// or in settlement, and never of an earmarked amount. `safeTransferFrom` / `safeBatchTransferFrom` work
/// for the holder or its approved operator under the same checks. `multicall` (OpenZeppelin
/// {Multicall}) batches a member's operations.
/// @dev Every change of balance goes through the one {_update} override. Mints (registration), burns
/// (cancel, reject, closing a settled holder), sales and seizures call {_update} directly, without
/// ERC-1155 receiver hooks, so none of them hands control to a holder or buyer; only a member's own
/// `safeTransferFrom` calls the recipient's hook, after every check and state change.
/// Collateral for the lien registry is a *lot*: an earmarked amount of one receivable of one holder.
/// A lot's key is `keccak256(abi.encode("tracefin.receivable", address(this), lotId))`; since each unit
/// of value is in at most one lot and one invoice is at most one receivable, no value backs two liens.
contract Receivables is IReceivables, ERC1155, EIP712, Multicall {
    /// @notice EIP-712 type hash of {Registration}.
    bytes32 public constant REGISTRATION_TYPEHASH = keccak256(
        "Registration(address creditor,address debtor,uint96 faceValue,bytes3 currency,uint64 dueDate,"
        "uint32 graceSeconds,bytes32 invoiceHash,bytes32 documentHash,bytes32 salt)"
    );

    /// @notice The consortium member registry every write is checked against.
    IMemberRegistry public immutable registry;
    /// @notice The lien registry, the only caller of the {ICollateral} functions that change state.
    address public immutable lienRegistry;

    uint256 private _receivableCount;
    uint256 private _lotCount;
    uint256 private _saleCount;
    mapping(uint256 receivableId => Receivable) private _receivables;
    mapping(bytes32 invoiceHash => uint256 receivableId) private _invoices;
    mapping(uint256 receivableId => address) private _paymentAgents;
    /// @dev The creditor of a receivable registered and not yet confirmed, cancelled or rejected (who
    /// must be known to burn its amount); cleared when it leaves `Registered` (a gas refund). Confirmed
    /// receivables name their creditor in {ReceivableRegistered} only.
    mapping(uint256 receivableId => address) private _creditors;
    mapping(uint256 receivableId => mapping(address holder => uint256)) private _earmarked;
    mapping(uint256 receivableId => mapping(address holder => uint256)) private _settled;
    /// @dev Sum of settled amounts and face value burned at closing, per receivable: written only by
    /// {settleHolders}.
    mapping(uint256 receivableId => Totals) private _totals;
    mapping(uint256 lotId => Lot) private _lots;
    mapping(uint256 saleId => Sale) private _sales;
    /// @dev Set while an internal move ({seize}) runs whose checks differ from a transfer's (EIP-1153).
    bool private transient _seizing;

    /// @dev Per receivable, one slot: the sum of every holder's settled amount and the face value burned
    /// by closing holders (status Settled when it reaches the face value).
    struct Totals {
        uint128 settled;
        uint128 closed;
    }

    constructor(IMemberRegistry memberRegistry, address lienRegistry_)
        ERC1155("")
        EIP712("TraceFin Receivables", "1")
    {
        registry = memberRegistry;
        lienRegistry = lienRegistry_;
    }

    /// @dev The {ICollateral} functions that change state answer the lien registry only.
    modifier onlyLienRegistry() {
        if (msg.sender != lienRegistry) revert NotLienRegistry(msg.sender);
        _;
    }

    // ---- registration -------------------------------------------------------------------------

    /// @inheritdoc IReceivables
    function register(
        address debtor,
        uint96 faceValue,
        bytes3 currency,
        uint64 dueDate,
        uint32 graceSeconds,
        bytes32 invoiceHash,
        bytes32 documentHash
    ) external returns (uint256 receivableId) {
        receivableId = _register(
            Registration(msg.sender, debtor, faceValue, currency, dueDate, graceSeconds, invoiceHash, documentHash, 0),
            ReceivableStatus.Registered
        );
        _creditors[receivableId] = msg.sender;
    }

    /// @inheritdoc IReceivables
    function registerConfirmed(Registration calldata registration, bytes calldata debtorSignature)
        external
        returns (uint256 receivableId)
    {
        if (msg.sender != registration.creditor) revert NotRegistrant(msg.sender, registration.creditor);
        // The nine fields are static: their calldata words are EIP-712's `encodeData` (bytes3
        // left-aligned), hashed in place. Dirty high-order bits give a digest no debtor signed.
        bytes32 structHash;
        bytes32 typeHash = REGISTRATION_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), registration, 0x120)
            structHash := keccak256(ptr, 0x140)
        }
        bytes32 digest = _hashTypedDataV4(structHash);
        if (!SignatureChecker.isValidSignatureNow(registration.debtor, digest, debtorSignature)) {
            revert InvalidDebtorSignature(registration.debtor);
        }
        receivableId = _register(registration, ReceivableStatus.Confirmed);
        emit ReceivableConfirmed(receivableId, registration.debtor);
    }

    /// @inheritdoc IReceivables
    function confirm(uint256 receivableId) external {
        Receivable storage r = _receivableOwedByCaller(receivableId);
        _requireStatus(receivableId, r, ReceivableStatus.Registered);
        r.status = ReceivableStatus.Confirmed;
        delete _creditors[receivableId];
        emit ReceivableConfirmed(receivableId, msg.sender);
    }

    /// @inheritdoc IReceivables
    function cancel(uint256 receivableId, bytes32 reasonHash) external {
        Receivable storage r = _existing(receivableId);
        _requireStatus(receivableId, r, ReceivableStatus.Registered);
        if (_creditors[receivableId] != msg.sender) revert NotCreditor(receivableId, msg.sender);
        _requireRole(msg.sender, Roles.ANY_MEMBER);
        r.status = ReceivableStatus.Cancelled;
        _burnWhole(receivableId, r.faceValue);
        emit ReceivableCancelled(receivableId, msg.sender, reasonHash);
    }

    /// @inheritdoc IReceivables
    function reject(uint256 receivableId, bytes32 reasonHash) external {
        Receivable storage r = _receivableOwedByCaller(receivableId);
        _requireStatus(receivableId, r, ReceivableStatus.Registered);
        r.status = ReceivableStatus.Rejected;
        _burnWhole(receivableId, r.faceValue);
        emit ReceivableRejected(receivableId, msg.sender, reasonHash);
    }

    // ---- debtor -------------------------------------------------------------------------------

    /// @inheritdoc IReceivables
    function dispute(uint256 receivableId, bytes32 reasonHash) external {
        Receivable storage r = _receivableOwedByCaller(receivableId);
        _requireStatus(receivableId, r, ReceivableStatus.Confirmed);
        if (r.disputed) revert ReceivableIsDisputed(receivableId);
        r.disputed = true;
        emit ReceivableDisputed(receivableId, msg.sender, reasonHash);
    }

    /// @inheritdoc IReceivables
    function resolveDispute(uint256 receivableId, bytes32 reasonHash) external {
        Receivable storage r = _receivableOwedByCaller(receivableId);
        _requireStatus(receivableId, r, ReceivableStatus.Confirmed);
        if (!r.disputed) revert ReceivableNotDisputed(receivableId);
        r.disputed = false;
        emit DisputeResolved(receivableId, msg.sender, reasonHash);
    }

    /// @inheritdoc IReceivables
    function appointPaymentAgent(uint256 receivableId, address agent) external {
        Receivable storage r = _receivableOwedByCaller(receivableId);
        ReceivableStatus status = r.status;
        if (status != ReceivableStatus.Registered && status != ReceivableStatus.Confirmed) {
            revert InvalidStatus(receivableId, status);
        }
        if (agent != address(0)) _requireRole(agent, Roles.FINANCIER);
        _paymentAgents[receivableId] = agent;
        emit PaymentAgentAppointed(receivableId, msg.sender, agent);
    }

    /// @inheritdoc IReceivables
    function recordPayment(uint256 receivableId, uint96 amount, bytes32 referenceHash) external {
        Receivable storage r = _existing(receivableId);
        if (msg.sender != r.debtor && msg.sender != _paymentAgents[receivableId]) {
            revert NotPayer(receivableId, msg.sender);
        }
        _requireRole(msg.sender, Roles.ANY_MEMBER);
        _requireStatus(receivableId, r, ReceivableStatus.Confirmed);
        if (amount == 0) revert ZeroAmount();
        uint96 paid = r.paid;
        uint96 outstanding = r.faceValue - paid;
        if (amount > outstanding) revert PaymentExceedsOutstanding(receivableId, amount, outstanding);
        // Cannot overflow: amount <= faceValue - paid.
        unchecked {
            paid += amount;
        }
        r.paid = paid;
        emit PaymentRecorded(receivableId, msg.sender, amount, paid, referenceHash);
    }

    /// @inheritdoc IReceivables
    function settleHolders(uint256 receivableId, address[] calldata holders) external {
        Receivable storage r = _existing(receivableId);
        _requireStatus(receivableId, r, ReceivableStatus.Confirmed);
        uint256 paid = r.paid;
        uint256 faceValue = r.faceValue;
        if (paid == 0) revert NothingPaid(receivableId);
        if (r.frozen) revert ReceivableIsFrozen(receivableId);
        if (r.disputed) revert ReceivableIsDisputed(receivableId);
        bool full = paid == faceValue;
        Totals memory totals = _totals[receivableId];
        mapping(address => uint256) storage settled = _settled[receivableId];
        for (uint256 i; i < holders.length; ++i) {
            address holder = holders[i];
            uint256 balance = balanceOf(holder, receivableId);
            if (balance == 0) continue;
            uint256 before = settled[holder];
            // Balances are fixed once a payment is recorded, so a holder's share only grows with `paid`.
            // Cannot overflow: balance and paid are below 2^96.
            uint256 due;
            unchecked {
                due = (full ? balance : balance * paid / faceValue) - before;
            }
            if (due != 0) {
                uint256 total = before + due;
                settled[holder] = total;
                totals.settled += uint128(due);
                emit HolderSettled(receivableId, holder, due, total, _earmarked[receivableId][holder]);
            }
            if (full) {
                // Settled in full: the holding is closed; its lots keep only their record.
                delete _earmarked[receivableId][holder];
                totals.closed += uint128(balance);
                _move(holder, address(0), receivableId, balance);
                emit HolderClosed(receivableId, holder);
            }
        }
        _totals[receivableId] = totals;
        if (totals.closed == faceValue) {
            r.status = ReceivableStatus.Settled;
            emit ReceivableSettled(receivableId);
        }
    }

    // ---- regulator ----------------------------------------------------------------------------

    /// @inheritdoc IReceivables
    function freeze(uint256 receivableId, bytes32 reasonHash) external {
        _requireRole(msg.sender, Roles.REGULATOR);
        Receivable storage r = _existing(receivableId);
        if (r.frozen) revert ReceivableIsFrozen(receivableId);
        r.frozen = true;
        emit ReceivableFrozen(receivableId, msg.sender, reasonHash);
    }

    /// @inheritdoc IReceivables
    function unfreeze(uint256 receivableId, bytes32 reasonHash) external {
        _requireRole(msg.sender, Roles.REGULATOR);
        Receivable storage r = _existing(receivableId);
        if (!r.frozen) revert ReceivableNotFrozen(receivableId);
        r.frozen = false;
        emit ReceivableUnfrozen(receivableId, msg.sender, reasonHash);
    }

    // ---- holder: earmarks and sales -----------------------------------------------------------

    /// @inheritdoc IReceivables
    function earmark(uint256 receivableId, uint96 amount) external returns (uint256 lotId) {
        Receivable storage r = _existing(receivableId);
        _requireMovable(receivableId, r);
        _requireRole(msg.sender, Roles.ANY_MEMBER);
        if (amount == 0) revert ZeroAmount();
        uint256 earmarked = _earmarked[receivableId][msg.sender];
        _requireFreeAmount(receivableId, msg.sender, amount, earmarked);
        _earmarked[receivableId][msg.sender] = earmarked + amount;
        lotId = ++_lotCount;
        _lots[lotId] = Lot({holder: msg.sender, amount: amount, receivableId: uint64(receivableId), pledged: false});
        emit LotEarmarked(lotId, receivableId, msg.sender, amount);
    }

    /// @inheritdoc IReceivables
    function releaseLot(uint256 lotId) external {
        Lot memory lot = _existingLot(lotId);
        if (lot.holder != msg.sender) revert NotLotHolder(lotId, msg.sender, lot.holder);
        _requireRole(msg.sender, Roles.ANY_MEMBER);
        if (lot.pledged) revert LotAlreadyPledged(lotId);
        delete _lots[lotId];
        _unearmark(lot.receivableId, lot.holder, lot.amount);
        emit LotReleased(lotId, lot.receivableId, lot.holder, lot.amount);
    }

    /// @inheritdoc IReceivables
    function offerSale(uint256 receivableId, address financier, uint96 amount, uint96 price)
        external
        returns (uint256 saleId)
    {
        Receivable storage r = _existing(receivableId);
        _requireMovable(receivableId, r);
        _requireRole(msg.sender, Roles.ANY_MEMBER);
        if (financier == msg.sender) revert InvalidFinancier(financier);
        _requireRole(financier, Roles.FINANCIER);
        if (amount == 0) revert ZeroAmount();
        if (price == 0 || price > amount) revert InvalidPrice(amount, price);
        _requireFreeAmount(receivableId, msg.sender, amount, _earmarked[receivableId][msg.sender]);
        saleId = ++_saleCount;
        _sales[saleId] = Sale({
            seller: msg.sender, amount: amount, financier: financier, price: price, receivableId: uint64(receivableId)
        });
        emit SaleOffered(saleId, receivableId, msg.sender, financier, amount, price);
    }

    /// @inheritdoc IReceivables
    function acceptSale(uint256 saleId) external {
        Sale memory sale = _existingSale(saleId);
        if (msg.sender != sale.financier) revert NotSaleFinancier(saleId, msg.sender);
        _requireRole(msg.sender, Roles.FINANCIER);
        delete _sales[saleId];
        _requireFreeAmount(sale.receivableId, sale.seller, sale.amount, _earmarked[sale.receivableId][sale.seller]);
        // {_update} runs every transfer check (status, flags, membership of both parties).
        _move(sale.seller, msg.sender, sale.receivableId, sale.amount);
        emit ReceivableSold(saleId, sale.receivableId, sale.seller, msg.sender, sale.amount, sale.price);
    }

    /// @inheritdoc IReceivables
    function withdrawSale(uint256 saleId) external {
        Sale memory sale = _existingSale(saleId);
        if (msg.sender != sale.seller) revert NotSeller(saleId, msg.sender);
        delete _sales[saleId];
        emit SaleWithdrawn(saleId, sale.receivableId, msg.sender);
    }

    // ---- lien registry (ICollateral over lots) ------------------------------------------------

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; lot exists and is not pledged ({LotAlreadyPledged});
    /// its receivable confirmed, not disputed, frozen or in settlement. Emits {LotPledgeStatusChanged}.
    function lock(uint256 lotId) external onlyLienRegistry {
        Lot storage lot = _storedLot(lotId);
        if (lot.pledged) revert LotAlreadyPledged(lotId);
        uint256 receivableId = lot.receivableId;
        _requireMovable(receivableId, _receivables[receivableId]);
        lot.pledged = true;
        emit LotPledgeStatusChanged(lotId, receivableId, true);
    }

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; lot pledged ({LotNotPledged}). Allowed in every
    /// state (frozen, settled): ending a lien moves nothing. The lot stays earmarked until its holder
    /// calls {releaseLot}. Emits {LotPledgeStatusChanged}.
    function unlock(uint256 lotId) external onlyLienRegistry {
        Lot storage lot = _pledgedLot(lotId);
        lot.pledged = false;
        emit LotPledgeStatusChanged(lotId, lot.receivableId, false);
    }

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; lot pledged; receivable not frozen
    /// ({ReceivableIsFrozen}) and not in settlement ({ReceivableInSettlement}: once a payment is
    /// recorded the holdings are fixed, and the lienholder collects the lot's share named in
    /// {HolderSettled}); `to` an active member ({TransferToNonMember}). As for warehouse receipts,
    /// enforcement is not stopped by the holder's suspension or a dispute, only by a judicial freeze.
    /// The lot's amount moves from the holder to `to` and the lot is dissolved.
    /// Emits {LotPledgeStatusChanged}, {TransferSingle} and {LotSeized}.
    function seize(uint256 lotId, address to) external onlyLienRegistry {
        Lot memory lot = _pledgedLot(lotId);
        Receivable storage r = _receivables[lot.receivableId];
        if (r.frozen) revert ReceivableIsFrozen(lot.receivableId);
        if (r.paid != 0) revert ReceivableInSettlement(lot.receivableId, r.paid);
        if (!_isMember(to)) revert TransferToNonMember(to);
        delete _lots[lotId];
        _earmarked[lot.receivableId][lot.holder] -= lot.amount;
        emit LotPledgeStatusChanged(lotId, lot.receivableId, false);
        _seizing = true;
        _move(lot.holder, to, lot.receivableId, lot.amount);
        _seizing = false;
        emit LotSeized(lotId, lot.receivableId, lot.holder, to, lot.amount);
    }

    /// @inheritdoc ICollateral
    /// @dev Requirements: caller the lien registry; lot pledged and its receivable not frozen;
    /// 0 < quantity < the lot's amount ({InvalidLotAmount}). The released part is not a new instrument:
    /// it simply returns to the holder's free amount, so `releasedId` is always 0; the lien stays on the
    /// (smaller) lot. Emits {LotReduced}.
    function releasePart(uint256 lotId, uint256 quantity) external onlyLienRegistry returns (uint256 releasedId) {
        Lot storage lot = _pledgedLot(lotId);
        uint256 receivableId = lot.receivableId;
        if (_receivables[receivableId].frozen) revert ReceivableIsFrozen(receivableId);
        uint96 amount = lot.amount;
        if (quantity == 0 || quantity >= amount) revert InvalidLotAmount(lotId, quantity);
        // Cannot underflow: quantity < amount.
        unchecked {
            amount -= uint96(quantity);
        }
        lot.amount = amount;
        _unearmark(receivableId, lot.holder, quantity);
        emit LotReduced(lotId, receivableId, uint96(quantity), amount);
        return 0;
    }

    /// @inheritdoc ICollateral
    function collateralKey(uint256 lotId) external view returns (bytes32) {
        _storedLot(lotId);
        return keccak256(abi.encode("tracefin.receivable", address(this), lotId));
    }

    /// @inheritdoc ICollateral
    function collateralHolder(uint256 lotId) external view returns (address) {
        return _storedLot(lotId).holder;
    }

    // ---- views --------------------------------------------------------------------------------

    /// @inheritdoc IReceivables
    function isOverdue(uint256 receivableId) public view returns (bool) {
        Receivable storage r = _existing(receivableId);
        return r.status == ReceivableStatus.Confirmed && r.paid < r.faceValue
            && block.timestamp > uint256(r.dueDate) + r.graceSeconds;
    }

    /// @inheritdoc IReceivables
    function receivableOf(uint256 receivableId) external view returns (ReceivableView memory v) {
        Receivable memory r = _existing(receivableId);
        Totals memory totals = _totals[receivableId];
        v = ReceivableView({
            debtor: r.debtor,
            status: r.status,
            currency: r.currency,
            dueDate: r.dueDate,
            graceSeconds: r.graceSeconds,
            faceValue: r.faceValue,
            paid: r.paid,
            outstanding: r.faceValue - r.paid,
            disputed: r.disputed,
            frozen: r.frozen,
            inSettlement: r.status == ReceivableStatus.Confirmed && r.paid != 0,
            overdue: isOverdue(receivableId),
            settledTotal: totals.settled,
            closedTotal: totals.closed,
            paymentAgent: _paymentAgents[receivableId]
        });
    }

    /// @inheritdoc IReceivables
    function freeAmountOf(uint256 receivableId, address holder) external view returns (uint256) {
        return balanceOf(holder, receivableId) - _earmarked[receivableId][holder];
    }

    /// @inheritdoc IReceivables
    function earmarkedOf(uint256 receivableId, address holder) external view returns (uint256) {
        return _earmarked[receivableId][holder];
    }

    /// @inheritdoc IReceivables
    function lotOf(uint256 lotId) external view returns (Lot memory) {
        return _existingLot(lotId);
    }

    /// @inheritdoc IReceivables
    function saleOf(uint256 saleId) external view returns (Sale memory) {
        return _existingSale(saleId);
    }

    /// @inheritdoc IReceivables
    function settledOf(uint256 receivableId, address holder) external view returns (uint256) {
        return _settled[receivableId][holder];
    }

    /// @inheritdoc IReceivables
    function receivableIdOfInvoice(bytes32 invoiceHash) external view returns (uint256) {
        return _invoices[invoiceHash];
    }

    /// @inheritdoc IReceivables
    function receivableCount() external view returns (uint256) {
        return _receivableCount;
    }

    /// @notice ERC-165: ERC-1155, ERC-1155 metadata URI, {ICollateral} and {IReceivables}.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IReceivables).interfaceId || interfaceId == type(ICollateral).interfaceId
            || super.supportsInterface(interfaceId);
    }

    // ---- internals ----------------------------------------------------------------------------

    /// @dev The one place balances change. Mints and burns pass (their callers checked what they need);
    /// a transfer must meet every restriction: the receivable movable, the sender an active member, the
    /// recipient an active member, and the sender left with at least its earmarked amount. A seizure
    /// was checked by {seize} and has already taken the lot out of the earmark.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values)
        internal
        override
    {
        super._update(from, to, ids, values);
        if (from == address(0) || to == address(0) || _seizing) return;
        _requireRole(from, Roles.ANY_MEMBER);
        if (!_isMember(to)) revert TransferToNonMember(to);
        for (uint256 i; i < ids.length; ++i) {
            uint256 receivableId = ids[i];
            _requireMovable(receivableId, _receivables[receivableId]);
            uint256 earmarked = _earmarked[receivableId][from];
            if (earmarked != 0 && balanceOf(from, receivableId) < earmarked) {
                revert AmountEarmarked(receivableId, from, earmarked);
            }
        }
    }

    /// @dev Moves (or mints/burns) `amount` of one receivable without receiver hooks.
    function _move(address from, address to, uint256 receivableId, uint256 amount) private {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory values = new uint256[](1);
        assembly ("memory-safe") {
            mstore(add(ids, 0x20), receivableId)
            mstore(add(values, 0x20), amount)
        }
        _update(from, to, ids, values);
    }

    /// @dev Burns the whole amount of an unconfirmed receivable: nothing has moved, so its creditor
    /// holds it all.
    function _burnWhole(uint256 receivableId, uint256 faceValue) private {
        address creditor = _creditors[receivableId];
        delete _creditors[receivableId];
        _move(creditor, address(0), receivableId, faceValue);
    }

    function _register(Registration memory reg, ReceivableStatus status) private returns (uint256 receivableId) {
        _requireRole(reg.creditor, Roles.ENTERPRISE);
        if (reg.debtor == reg.creditor) revert InvalidDebtor(reg.debtor);
        _requireRole(reg.debtor, Roles.ANY_MEMBER);
        if (reg.faceValue == 0) revert ZeroAmount();
        if (!TradeCodes.isValidCurrency(reg.currency)) revert InvalidCurrency(reg.currency);
        if (reg.dueDate <= block.timestamp) revert InvalidDueDate(reg.dueDate);
        if (reg.invoiceHash == bytes32(0)) revert ZeroInvoiceHash();
        uint256 existing = _invoices[reg.invoiceHash];
        if (existing != 0) revert InvoiceAlreadyUsed(reg.invoiceHash, existing);

        receivableId = ++_receivableCount;
        _invoices[reg.invoiceHash] = receivableId;
        _receivables[receivableId] = Receivable({
            debtor: reg.debtor,
            dueDate: reg.dueDate,
            status: status,
            currency: reg.currency,
            faceValue: reg.faceValue,
            paid: 0,
            graceSeconds: reg.graceSeconds,
            disputed: false,
            frozen: false
        });
        _move(address(0), reg.creditor, receivableId, reg.faceValue);
        emit ReceivableRegistered(
            receivableId,
            reg.creditor,
            reg.debtor,
            reg.faceValue,
            reg.currency,
            reg.dueDate,
            reg.graceSeconds,
            reg.invoiceHash,
            reg.documentHash
        );
    }

    /// @dev Returns earmarked units to the holder's free amount; a holder closed by full settlement had
    /// its earmark cleared then (its balance is 0 and the receivable fully paid).
    function _unearmark(uint256 receivableId, address holder, uint256 amount) private {
        Receivable storage r = _receivables[receivableId];
        if (r.paid == r.faceValue && balanceOf(holder, receivableId) == 0) return;
        _earmarked[receivableId][holder] -= amount;
    }

    /// @dev One call site for the registry's role check keeps the contract under the EIP-170 size limit.
    function _requireRole(address account, uint32 role) private view {
        registry.requireActiveRole(account, role);
    }

    function _isMember(address account) private view returns (bool) {
        return registry.isActiveMember(account);
    }

    function _requireFreeAmount(uint256 receivableId, address holder, uint256 amount, uint256 earmarked)
        private
        view
    {
        uint256 balance = balanceOf(holder, receivableId);
        uint256 free = balance > earmarked ? balance - earmarked : 0;
        if (amount > free) revert InsufficientFreeAmount(receivableId, holder, amount, free);
    }

    /// @dev Confirmed, not disputed, frozen or in settlement: amounts may move, be earmarked, pledged, sold.
    function _requireMovable(uint256 receivableId, Receivable storage r) private view {
        _requireStatus(receivableId, r, ReceivableStatus.Confirmed);
        if (r.frozen) revert ReceivableIsFrozen(receivableId);
        if (r.disputed) revert ReceivableIsDisputed(receivableId);
        uint96 paid = r.paid;
        if (paid != 0) revert ReceivableInSettlement(receivableId, paid);
    }

    function _requireStatus(uint256 receivableId, Receivable storage r, ReceivableStatus expected) private view {
        ReceivableStatus status = r.status;
        if (status != expected) revert InvalidStatus(receivableId, status);
    }

    function _existing(uint256 receivableId) private view returns (Receivable storage r) {
        r = _receivables[receivableId];
        if (r.status == ReceivableStatus.None) revert UnknownReceivable(receivableId);
    }

    /// @dev A receivable whose debtor is the caller, an active member.
    function _receivableOwedByCaller(uint256 receivableId) private view returns (Receivable storage r) {
        r = _existing(receivableId);
        address debtor = r.debtor;
        if (debtor != msg.sender) revert NotDebtor(receivableId, msg.sender, debtor);
        _requireRole(msg.sender, Roles.ANY_MEMBER);
    }

    function _storedLot(uint256 lotId) private view returns (Lot storage lot) {
        lot = _lots[lotId];
        if (lot.holder == address(0)) revert UnknownLot(lotId);
    }

    function _existingLot(uint256 lotId) private view returns (Lot memory) {
        return _storedLot(lotId);
    }

    function _pledgedLot(uint256 lotId) private view returns (Lot storage lot) {
        lot = _storedLot(lotId);
        if (!lot.pledged) revert LotNotPledged(lotId);
    }

    function _existingSale(uint256 saleId) private view returns (Sale memory sale) {
        sale = _sales[saleId];
        if (sale.seller == address(0)) revert UnknownSale(saleId);
    }
}
