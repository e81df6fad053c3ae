// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ICollateral} from "./ICollateral.sol";

/// @title One lien registry for every kind of collateral: pledge offers, loans, liens
/// @notice A holder offers an instrument ({ICollateral}) to a FINANCIER on stated terms; the financier
/// accepts with its valuation; from then on a lien sits on the instrument's underlying asset (its
/// collateral key) and no second lien can exist on that asset, whatever instrument wraps it. The
/// financier records repayments, releases part or all of the collateral, revalues it (a margin call
/// is emitted when the loan-to-value ratio passes the agreed level) and, after maturity, enforces.
/// @dev A loan is identified by the EIP-712 hash of its {LoanTerms}; only that hash and a one-slot
/// {Loan} state are stored, and every later call carries the terms again (checked against the
/// hash). The terms are in the {PledgeOffered} event for the read side. Money is integer minor units
/// of an ISO 4217 currency; rates and ratios are basis points; times are UTC seconds.
interface ILienRegistry {
    enum LoanStatus {
        None,
        Offered,
        Withdrawn,
        Active,
        Released,
        Enforced
    }

    /// @notice What the holder offers and the financier accepts.
    struct LoanTerms {
        ICollateral collateral;
        uint256 collateralId;
        address borrower;
        address financier;
        uint96 principal;
        bytes3 currency;
        uint64 maturity;
        uint32 rateBps;
        uint32 marginCallLtvBps;
        uint64 offerExpiresAt;
        bytes32 salt;
    }

    /// @notice Mutable state of a loan, one storage slot.
    struct Loan {
        LoanStatus status;
        uint96 outstanding;
        uint96 valuation;
        uint32 ltvBps;
    }

    error NotConsortiumAdmin(address caller);
    error UnknownCollateralModule(address collateral);
    error CollateralModuleAlreadyRegistered(address collateral);
    error NotBorrower(bytes32 loanId, address caller);
    error NotFinancier(bytes32 loanId, address caller);
    error NotCollateralHolder(address collateral, uint256 collateralId, address caller, address holder);
    /// @notice The underlying asset already backs the active loan `loanId`.
    error CollateralAlreadyPledged(bytes32 collateralKey, bytes32 loanId);
    error OfferAlreadyExists(bytes32 loanId);
    error InvalidLoanStatus(bytes32 loanId, LoanStatus status);
    error OfferExpired(bytes32 loanId, uint64 offerExpiresAt);
    error InvalidTerms(string field);
    error InvalidCurrency(bytes3 currency);
    error ZeroValuation();
    /// @notice The financier's own valuation puts the loan at or past the margin-call level.
    error LtvAboveMarginCall(uint32 ltvBps, uint32 marginCallLtvBps);
    error RepaymentExceedsOutstanding(bytes32 loanId, uint96 amount, uint96 outstanding);
    /// @notice A repayment of zero records nothing.
    error ZeroRepayment();
    error NotMatured(bytes32 loanId, uint64 maturity);
    /// @notice The signature is not `borrower`'s over the loan's terms (EOA or EIP-1271 contract).
    error InvalidBorrowerSignature(bytes32 loanId, address borrower);
    /// @notice Nothing is outstanding: a repaid loan is released, not enforced.
    error NothingOutstanding(bytes32 loanId);
    error EmptyRegistrationNumber();
    /// @notice Called back (through a holder or buyer hook) while a collateral module was changing an instrument.
    error ReentrantCall();

    event CollateralModuleRegistered(address indexed collateral);
    /// @notice A holder offered `collateralId` of `collateral` to `financier` on these terms.
    event PledgeOffered(
        bytes32 indexed loanId,
        address indexed collateral,
        uint256 indexed collateralId,
        address borrower,
        address financier,
        uint96 principal,
        bytes3 currency,
        uint64 maturity,
        uint32 rateBps,
        uint32 marginCallLtvBps,
        uint64 offerExpiresAt,
        bytes32 salt
    );
    event OfferWithdrawn(bytes32 indexed loanId);
    /// @notice The borrower revoked terms it had signed but nobody had accepted: they can never be.
    event SignedOfferRevoked(bytes32 indexed loanId);
    /// @notice The financier accepted: a lien now sits on `collateralKey`.
    event LoanActivated(bytes32 indexed loanId, bytes32 indexed collateralKey, uint96 valuation, uint32 ltvBps);
    event RepaymentRecorded(bytes32 indexed loanId, uint96 amount, uint96 outstanding, bytes32 referenceHash);
    event CollateralValued(bytes32 indexed loanId, uint96 valuation, uint32 ltvBps);
    /// @notice A valuation pushed the loan-to-value ratio over the agreed margin-call level.
    event MarginCall(bytes32 indexed loanId, uint32 ltvBps, uint32 marginCallLtvBps);
    /// @notice Part of the pledged instrument was split off into `releasedId`, free again.
    event CollateralPartReleased(bytes32 indexed loanId, uint256 indexed releasedId, uint256 quantity);
    /// @notice The lien ended by release; the instrument is free.
    event LienReleased(bytes32 indexed loanId, bytes32 indexed collateralKey);
    /// @notice The lien ended by enforcement; title moved to `to`.
    event LienEnforced(bytes32 indexed loanId, bytes32 indexed collateralKey, address indexed to);
    /// @notice The pledge's registration number at the national movable-property registry (中登网).
    event RegistrationRecorded(bytes32 indexed loanId, string registrationNumber);

    /// @notice The consortium admin lets instruments of `collateral` be pledged.
    function registerCollateralModule(ICollateral collateral) external;

    /// @notice The holder offers its instrument on `terms`; returns the loan id (the terms' hash).
    /// @dev Requirements: caller is `terms.borrower`, an active member holding the instrument;
    /// `terms.financier` is an active FINANCIER; principal, rate-independent fields and dates valid;
    /// no active lien on the underlying asset.
    function offer(LoanTerms calldata terms) external returns (bytes32 loanId);

    /// @notice The borrower withdraws an offer that was not accepted.
    function withdrawOffer(LoanTerms calldata terms) external;

    /// @notice The financier accepts an offer before it expires, valuing the collateral at `valuation`
    /// (minor units of the loan currency). Creates the lien and locks the instrument.
    function accept(LoanTerms calldata terms, uint96 valuation) external;

    /// @notice One transaction instead of {offer} then {accept}: the financier submits terms the
    /// borrower signed (EIP-712 typed data of {LoanTerms} under this registry's domain, whose digest is
    /// the loan id; EOA or EIP-1271 signature) with its valuation. Emits {PledgeOffered} then
    /// {LoanActivated}, as the two-step path does.
    /// @dev Requirements: those of {offer} (checked for the borrower) and of {accept}; the terms were
    /// never offered, accepted or revoked, so a signature is good for one loan only.
    function acceptSigned(LoanTerms calldata terms, uint96 valuation, bytes calldata borrowerSignature) external;

    /// @notice The borrower revokes terms it signed for {acceptSigned} before the financier used them.
    function revokeSignedOffer(LoanTerms calldata terms) external;

    /// @notice The financier records a repayment received off-chain (`referenceHash`: its payment record).
    function recordRepayment(LoanTerms calldata terms, uint96 amount, bytes32 referenceHash) external;

    /// @notice The financier frees `quantity` of the collateral (e.g. after a partial repayment).
    function releasePart(LoanTerms calldata terms, uint256 quantity) external returns (uint256 releasedId);

    /// @notice The financier releases the lien: the instrument is free.
    function release(LoanTerms calldata terms) external;

    /// @notice The financier records a new valuation; emits {MarginCall} past the agreed level.
    function revalue(LoanTerms calldata terms, uint96 valuation) external;

    /// @notice After maturity, with an amount still outstanding, the financier enforces: title of the instrument moves to `to`
    /// (itself, or a buyer that is an active member).
    function enforce(LoanTerms calldata terms, address to) external;

    /// @notice The financier records the pledge's registration number at the national registry.
    function recordRegistration(LoanTerms calldata terms, string calldata registrationNumber) external;

    /// @notice The loan id of `terms`: their EIP-712 typed-data hash under this registry's domain.
    function loanIdOf(LoanTerms calldata terms) external view returns (bytes32);

    function loanOf(bytes32 loanId) external view returns (Loan memory);

    /// @notice The active loan with a lien on `collateralKey`, or zero.
    function lienOn(bytes32 collateralKey) external view returns (bytes32 loanId);

    function isCollateralModule(address collateral) external view returns (bool);
}
