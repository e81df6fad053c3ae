// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IMemberRegistry} from "../members/IMemberRegistry.sol";
import {Roles} from "../members/Roles.sol";
import {ICollateral} from "./ICollateral.sol";
import {ILienRegistry} from "./ILienRegistry.sol";

/// @title LienRegistry
/// @notice Pledge offers, loans and liens over any registered kind of collateral. A lien sits on the
/// underlying asset (the collateral key), not on the instrument, so one goods lot or invoice can never
/// back two active loans, whatever instruments wrap it.
/// @dev Storage per loan is one slot keyed by the EIP-712 hash of its terms; every call after
/// {offer} carries the terms again and is matched by recomputing that hash, so terms that were
/// never offered simply name an unknown loan ({InvalidLoanStatus} with status `None`).
///
/// Every function writes its own state before calling a collateral module (checks-effects-
/// interactions). The functions that call a module's state-changing functions ({accept},
/// {releasePart}, {release}, {enforce}) are also `nonReentrant`. Warehouse receipts hand control to
/// no one (they mint and move tokens without ERC-721 receiver hooks), but a later module might call
/// a holder or buyer back on a split or a seizure, and a nested {accept} there would lock the
/// instrument while the outer module call is still half-way through changing it, leaving the
/// instrument's pledge flag and this registry's lien out of step. The guard is a transient-storage
/// word (EIP-1153): about 350 gas, and nothing left behind after the call.
contract LienRegistry is ILienRegistry, EIP712, Multicall {
    /// @notice EIP-712 type hash of {LoanTerms}; the loan id is the typed-data hash of the terms.
    bytes32 public constant LOAN_TERMS_TYPEHASH = keccak256(
        "LoanTerms(address collateral,uint256 collateralId,address borrower,address financier,uint96 principal,"
        "bytes3 currency,uint64 maturity,uint32 rateBps,uint32 marginCallLtvBps,uint64 offerExpiresAt,bytes32 salt)"
    );

    /// @dev Ratios are in basis points: 10,000 = 100 %.
    uint256 private constant BPS = 10_000;

    /// @notice The consortium member registry every write is checked against; its owner is the
    /// consortium admin, who alone registers collateral modules.
    IMemberRegistry public immutable registry;
    /// @dev The first module given at deployment (warehouse receipts), also in `_modules`. Offers on its
    /// instruments are checked against this immutable instead of storage: a cold read (2,100 gas) less.
    address private immutable _firstModule;

    mapping(address collateral => bool) private _modules;
    mapping(bytes32 loanId => Loan) private _loans;
    /// @dev The active loan holding a lien on each underlying asset; cleared on release and enforcement.
    mapping(bytes32 collateralKey => bytes32 loanId) private _liens;
    /// @dev Set while a collateral module's state-changing function runs; see the contract's @dev.
    /// A whole word, not a bool: writing it then needs no read first.
    uint256 private transient _moduleCallInProgress;

    /// @dev Refuses a nested call into any function that calls a module's state-changing function.
    modifier nonReentrant() {
        if (_moduleCallInProgress != 0) revert ReentrantCall();
        _moduleCallInProgress = 1;
        _;
        _moduleCallInProgress = 0;
    }

    /// @param memberRegistry The consortium registry (an Ownable contract whose owner is the admin).
    /// @param initialModules Collateral modules accepted from the start; more can be registered later.
    constructor(IMemberRegistry memberRegistry, ICollateral[] memory initialModules)
        EIP712("TraceFin LienRegistry", "1")
    {
        registry = memberRegistry;
        _firstModule = initialModules.length > 0 ? address(initialModules[0]) : address(0);
        for (uint256 i; i < initialModules.length; ++i) {
            _registerModule(initialModules[i]);
        }
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is the consortium admin (the member registry's owner); `collateral`
    /// is not registered yet. Emits {CollateralModuleRegistered}.
    function registerCollateralModule(ICollateral collateral) external {
        if (msg.sender != Ownable(address(registry)).owner()) revert NotConsortiumAdmin(msg.sender);
        _registerModule(collateral);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.borrower`, an active member, and holds the instrument;
    /// the module is registered; `terms.financier` is an active FINANCIER other than the borrower;
    /// principal > 0; now < offerExpiresAt <= maturity; marginCallLtvBps > 0; the currency is three
    /// ASCII capital letters; no active lien on the underlying asset; these exact terms were never
    /// offered (a withdrawn offer is made again with a new salt). Emits {PledgeOffered}.
    function offer(LoanTerms calldata terms) external returns (bytes32 loanId) {
        loanId = _loanIdOf(terms);
        if (msg.sender != terms.borrower) revert NotBorrower(loanId, msg.sender);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        ICollateral collateral = terms.collateral;
        if (!_isModule(address(collateral))) revert UnknownCollateralModule(address(collateral));
        _requireHolder(collateral, terms.collateralId, msg.sender);
        if (terms.financier == terms.borrower) revert InvalidTerms("financier");
        registry.requireActiveRole(terms.financier, Roles.FINANCIER);
        _requireValidTerms(terms);
        _requireNoLien(collateral.collateralKey(terms.collateralId));
        if (_loans[loanId].status != LoanStatus.None) revert OfferAlreadyExists(loanId);

        _loans[loanId] = Loan({status: LoanStatus.Offered, outstanding: terms.principal, valuation: 0, ltvBps: 0});
        _emitPledgeOffered(loanId, terms);
    }

    /// @inheritdoc ILienRegistry
    /// @dev The borrower's checks are {offer}'s (active member, holds the instrument, valid terms) and
    /// the financier's are {accept}'s; the signature replaces the borrower's transaction.
    function acceptSigned(LoanTerms calldata terms, uint96 valuation, bytes calldata borrowerSignature)
        external
        nonReentrant
    {
        bytes32 loanId = _loanIdOf(terms);
        _requireCallerIsFinancier(loanId, terms);
        if (!SignatureChecker.isValidSignatureNow(terms.borrower, loanId, borrowerSignature)) {
            revert InvalidBorrowerSignature(loanId, terms.borrower);
        }
        if (_loans[loanId].status != LoanStatus.None) revert OfferAlreadyExists(loanId);
        if (!_isModule(address(terms.collateral))) revert UnknownCollateralModule(address(terms.collateral));
        if (terms.financier == terms.borrower) revert InvalidTerms("financier");
        _requireValidTerms(terms);
        _emitPledgeOffered(loanId, terms);
        _activate(loanId, terms, terms.principal, valuation);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.borrower`, an active member; the terms were never offered,
    /// accepted or revoked. Emits {SignedOfferRevoked}.
    function revokeSignedOffer(LoanTerms calldata terms) external {
        bytes32 loanId = _loanIdOf(terms);
        if (msg.sender != terms.borrower) revert NotBorrower(loanId, msg.sender);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        _loanIn(loanId, LoanStatus.None).status = LoanStatus.Withdrawn;
        emit SignedOfferRevoked(loanId);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.borrower`, an active member; the offer is open (`Offered`).
    /// Emits {OfferWithdrawn}.
    function withdrawOffer(LoanTerms calldata terms) external {
        bytes32 loanId = _loanIdOf(terms);
        if (msg.sender != terms.borrower) revert NotBorrower(loanId, msg.sender);
        registry.requireActiveRole(msg.sender, Roles.ANY_MEMBER);
        _loanIn(loanId, LoanStatus.Offered).status = LoanStatus.Withdrawn;
        emit OfferWithdrawn(loanId);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.financier`, an active FINANCIER; the offer is open and not
    /// past `offerExpiresAt`; valuation > 0 and the resulting loan-to-value ratio (principal over
    /// valuation, rounded up) below `marginCallLtvBps`; the borrower is still an active member holding
    /// the instrument ({NotCollateralHolder} then names the borrower); no active lien on the
    /// underlying asset (the double-pledge guard); the module accepts the lock (it refuses a frozen,
    /// expired or redemption-pending instrument). Emits {LoanActivated}.
    function accept(LoanTerms calldata terms, uint96 valuation) external nonReentrant {
        bytes32 loanId = _loanIdOf(terms);
        _requireCallerIsFinancier(loanId, terms);
        Loan storage loan = _loanIn(loanId, LoanStatus.Offered);
        if (block.timestamp > terms.offerExpiresAt) revert OfferExpired(loanId, terms.offerExpiresAt);
        _activate(loanId, terms, loan.outstanding, valuation);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.financier`, an active FINANCIER; the loan is active;
    /// 0 < amount <= outstanding. Emits {RepaymentRecorded} with the new outstanding amount. The
    /// stored `ltvBps` stays that of the last valuation; {revalue} recomputes it.
    function recordRepayment(LoanTerms calldata terms, uint96 amount, bytes32 referenceHash) external {
        (bytes32 loanId, Loan storage loan) = _activeLoan(terms);
        uint96 outstanding = loan.outstanding;
        if (amount == 0) revert ZeroRepayment();
        if (amount > outstanding) revert RepaymentExceedsOutstanding(loanId, amount, outstanding);
        // Cannot underflow: amount <= outstanding was checked above.
        unchecked {
            outstanding -= amount;
        }
        loan.outstanding = outstanding;
        emit RepaymentRecorded(loanId, amount, outstanding, referenceHash);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.financier`, an active FINANCIER; the loan is active; the
    /// module accepts the split (0 < quantity < the instrument's quantity, not frozen, ...). The lien
    /// stays on the remainder: its underlying asset, and so its key, is unchanged.
    /// Emits {CollateralPartReleased}.
    function releasePart(LoanTerms calldata terms, uint256 quantity)
        external
        nonReentrant
        returns (uint256 releasedId)
    {
        (bytes32 loanId,) = _activeLoan(terms);
        releasedId = terms.collateral.releasePart(terms.collateralId, quantity);
        emit CollateralPartReleased(loanId, releasedId, quantity);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.financier`, an active FINANCIER; the loan is active.
    /// Releasing while an amount is still outstanding is the financier's decision and allowed.
    /// Emits {LienReleased}.
    function release(LoanTerms calldata terms) external nonReentrant {
        (bytes32 loanId, Loan storage loan) = _activeLoan(terms);
        bytes32 key = _endLien(terms, loan, LoanStatus.Released);
        emit LienReleased(loanId, key);
        terms.collateral.unlock(terms.collateralId);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.financier`, an active FINANCIER; the loan is active;
    /// valuation > 0. Stores the valuation and the ratio of the outstanding amount to it (rounded up).
    /// Emits {CollateralValued}, and {MarginCall} when the ratio is above `marginCallLtvBps`.
    function revalue(LoanTerms calldata terms, uint96 valuation) external {
        (bytes32 loanId, Loan storage loan) = _activeLoan(terms);
        uint32 ltvBps = _ltvBps(loan.outstanding, valuation);
        loan.valuation = valuation;
        loan.ltvBps = ltvBps;
        emit CollateralValued(loanId, valuation, ltvBps);
        if (ltvBps > terms.marginCallLtvBps) emit MarginCall(loanId, ltvBps, terms.marginCallLtvBps);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.financier`, an active FINANCIER; the loan is active and past
    /// maturity with an amount outstanding; `to` is the caller or an active member (the module may ask
    /// more of it). Emits {LienEnforced}.
    function enforce(LoanTerms calldata terms, address to) external nonReentrant {
        (bytes32 loanId, Loan storage loan) = _activeLoan(terms);
        if (block.timestamp <= terms.maturity) revert NotMatured(loanId, terms.maturity);
        if (loan.outstanding == 0) revert NothingOutstanding(loanId);
        if (to != msg.sender) registry.requireActiveRole(to, Roles.ANY_MEMBER);
        bytes32 key = _endLien(terms, loan, LoanStatus.Enforced);
        emit LienEnforced(loanId, key, to);
        terms.collateral.seize(terms.collateralId, to);
    }

    /// @inheritdoc ILienRegistry
    /// @dev Requirements: caller is `terms.financier`, an active FINANCIER; the loan is active; the
    /// number is not empty. Emits {RegistrationRecorded}.
    function recordRegistration(LoanTerms calldata terms, string calldata registrationNumber) external {
        (bytes32 loanId,) = _activeLoan(terms);
        if (bytes(registrationNumber).length == 0) revert EmptyRegistrationNumber();
        emit RegistrationRecorded(loanId, registrationNumber);
    }

    /// @inheritdoc ILienRegistry
    function loanIdOf(LoanTerms calldata terms) external view returns (bytes32) {
        return _loanIdOf(terms);
    }

    /// @inheritdoc ILienRegistry
    function loanOf(bytes32 loanId) external view returns (Loan memory) {
        return _loans[loanId];
    }

    /// @inheritdoc ILienRegistry
    function lienOn(bytes32 collateralKey) external view returns (bytes32 loanId) {
        return _liens[collateralKey];
    }

    /// @inheritdoc ILienRegistry
    function isCollateralModule(address collateral) external view returns (bool) {
        return _isModule(collateral);
    }

    function _isModule(address collateral) private view returns (bool) {
        return (collateral == _firstModule && collateral != address(0)) || _modules[collateral];
    }

    function _registerModule(ICollateral collateral) private {
        if (_modules[address(collateral)]) revert CollateralModuleAlreadyRegistered(address(collateral));
        _modules[address(collateral)] = true;
        emit CollateralModuleRegistered(address(collateral));
    }

    /// @dev The typed-data hash of the terms under this registry's EIP-712 domain. The eleven fields
    /// are static, so their calldata words are exactly EIP-712's `encodeData` (bytes3 left-aligned)
    /// and are hashed in place. The words are hashed as sent: terms with dirty high-order bits hash to
    /// an id no offer can have, because {offer} reads every field through Solidity's checked calldata
    /// access (for {PledgeOffered}) and so refuses them.
    function _loanIdOf(LoanTerms calldata terms) private view returns (bytes32) {
        bytes32 structHash;
        bytes32 typeHash = LOAN_TERMS_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), terms, 0x160)
            structHash := keccak256(ptr, 0x180)
        }
        return _hashTypedDataV4(structHash);
    }

    /// @dev Recomputes the id, checks the caller is the loan's financier and still an active
    /// FINANCIER, and loads the loan, which must be active.
    function _activeLoan(LoanTerms calldata terms) private view returns (bytes32 loanId, Loan storage loan) {
        loanId = _loanIdOf(terms);
        _requireCallerIsFinancier(loanId, terms);
        loan = _loanIn(loanId, LoanStatus.Active);
    }

    function _requireCallerIsFinancier(bytes32 loanId, LoanTerms calldata terms) private view {
        if (msg.sender != terms.financier) revert NotFinancier(loanId, msg.sender);
        registry.requireActiveRole(msg.sender, Roles.FINANCIER);
    }

    function _loanIn(bytes32 loanId, LoanStatus expected) private view returns (Loan storage loan) {
        loan = _loans[loanId];
        LoanStatus status = loan.status;
        if (status != expected) revert InvalidLoanStatus(loanId, status);
    }

    /// @dev Turns checked terms into an active loan: the ratio must be below the margin-call level, the
    /// borrower still an active member holding the instrument and no lien on its goods (the
    /// double-pledge guard); then the lien is written and the instrument locked.
    function _activate(bytes32 loanId, LoanTerms calldata terms, uint96 outstanding, uint96 valuation) private {
        uint32 ltvBps = _ltvBps(terms.principal, valuation);
        if (ltvBps >= terms.marginCallLtvBps) revert LtvAboveMarginCall(ltvBps, terms.marginCallLtvBps);
        registry.requireActiveRole(terms.borrower, Roles.ANY_MEMBER);
        ICollateral collateral = terms.collateral;
        _requireHolder(collateral, terms.collateralId, terms.borrower);
        bytes32 key = collateral.collateralKey(terms.collateralId);
        _requireNoLien(key);

        _liens[key] = loanId;
        _loans[loanId] = Loan({status: LoanStatus.Active, outstanding: outstanding, valuation: valuation, ltvBps: ltvBps});
        emit LoanActivated(loanId, key, valuation, ltvBps);
        collateral.lock(terms.collateralId);
    }

    /// @dev Clears the lien on the instrument's underlying asset and closes the loan with `status`.
    function _endLien(LoanTerms calldata terms, Loan storage loan, LoanStatus status) private returns (bytes32 key) {
        key = terms.collateral.collateralKey(terms.collateralId);
        delete _liens[key];
        loan.status = status;
    }

    function _requireHolder(ICollateral collateral, uint256 collateralId, address account) private view {
        address holder = collateral.collateralHolder(collateralId);
        if (holder != account) revert NotCollateralHolder(address(collateral), collateralId, account, holder);
    }

    function _requireNoLien(bytes32 key) private view {
        bytes32 existing = _liens[key];
        if (existing != bytes32(0)) revert CollateralAlreadyPledged(key, existing);
    }

    /// @dev Amounts and dates must make a loan that can still be accepted and then mature. (Who the
    /// financier is, is checked by the callers: {offer} for the named one, the others for the caller.)
    function _requireValidTerms(LoanTerms calldata terms) private view {
        if (terms.principal == 0) revert InvalidTerms("principal");
        if (terms.maturity <= block.timestamp) revert InvalidTerms("maturity");
        if (terms.offerExpiresAt <= block.timestamp || terms.offerExpiresAt > terms.maturity) {
            revert InvalidTerms("offerExpiresAt");
        }
        if (terms.marginCallLtvBps == 0) revert InvalidTerms("marginCallLtvBps");
        if (!_isCurrencyCode(terms.currency)) revert InvalidCurrency(terms.currency);
    }

    /// @dev An ISO 4217 alphabetic code: exactly three ASCII capital letters.
    function _isCurrencyCode(bytes3 currency) private pure returns (bool) {
        return _isCapital(currency[0]) && _isCapital(currency[1]) && _isCapital(currency[2]);
    }

    function _isCapital(bytes1 letter) private pure returns (bool) {
        return letter >= "A" && letter <= "Z";
    }

    /// @dev `amount` over `valuation` in basis points, rounded up (in the lender's favour), capped at
    /// the largest uint32. Reverts with {ZeroValuation} on a zero valuation.
    function _ltvBps(uint96 amount, uint96 valuation) private pure returns (uint32) {
        if (valuation == 0) revert ZeroValuation();
        // Cannot overflow: a uint96 times 10,000 plus a uint96 is far below 2^256.
        uint256 ltv;
        unchecked {
            ltv = (uint256(amount) * BPS + valuation - 1) / valuation;
        }
        return ltv > type(uint32).max ? type(uint32).max : uint32(ltv);
    }

    /// @dev Emits {PledgeOffered} with every term; a function of its own keeps {offer}'s stack small.
    function _emitPledgeOffered(bytes32 loanId, LoanTerms calldata terms) private {
        emit PledgeOffered(
            loanId,
            address(terms.collateral),
            terms.collateralId,
            terms.borrower,
            terms.financier,
            terms.principal,
            terms.currency,
            terms.maturity,
            terms.rateBps,
            terms.marginCallLtvBps,
            terms.offerExpiresAt,
            terms.salt
        );
    }
}
