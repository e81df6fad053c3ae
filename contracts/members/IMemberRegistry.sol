// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Consortium membership of the TraceFin ledger
/// @notice One registry answers, for every module, "is this address an active member with role R?".
/// Roles are bit flags so that one storage read answers any role question.
interface IMemberRegistry {
    /// @notice Lifecycle of a member organization. `Revoked` is final.
    enum MemberStatus {
        None,
        Active,
        Suspended,
        Revoked
    }

    /// @notice A member organization as stored on-chain; the name and metadata URI live in events only.
    struct Member {
        uint32 roles;
        MemberStatus status;
        uint64 admittedAt;
        bytes32 creditCodeHash;
        bytes32 metadataHash;
    }

    /// @notice `account` is not an active member holding every role in `role`.
    error MissingRole(address account, uint32 role);
    /// @notice `account` was admitted before.
    error MemberAlreadyAdmitted(address account);
    /// @notice `account` has never been admitted.
    error UnknownMember(address account);
    /// @notice A member cannot be moved from `status` by this operation.
    error InvalidMemberStatus(address account, MemberStatus status);
    /// @notice `roles` is empty or sets bits that name no role.
    error InvalidRoles(uint32 roles);
    /// @notice The unified social credit code is already registered to `holder`.
    error CreditCodeInUse(bytes32 creditCodeHash, address holder);
    /// @notice A zero address or zero hash was given where a value is required.
    error ZeroValue();
    /// @notice The admin role cannot be renounced; hand it over with `transferOwnership` instead.
    error AdminCannotBeRenounced();

    /// @notice Emitted when the admin admits a member organization.
    event MemberAdmitted(
        address indexed account,
        uint32 roles,
        bytes32 creditCodeHash,
        string name,
        string metadataURI,
        bytes32 metadataHash
    );
    /// @notice Emitted when the admin changes a member's roles.
    event MemberRolesChanged(address indexed account, uint32 previousRoles, uint32 newRoles);
    /// @notice Emitted when the admin replaces a member's name or metadata.
    event MemberProfileUpdated(address indexed account, string name, string metadataURI, bytes32 metadataHash);
    /// @notice Emitted when the admin suspends a member; it keeps its history but cannot act.
    event MemberSuspended(address indexed account, bytes32 reasonHash);
    /// @notice Emitted when the admin lifts a suspension.
    event MemberReinstated(address indexed account, bytes32 reasonHash);
    /// @notice Emitted when the admin revokes a member for good.
    event MemberRevoked(address indexed account, bytes32 reasonHash);

    /// @notice Admits a member organization with `roles`.
    /// @dev Requirements: caller is the admin; `account` and `creditCodeHash` are non-zero and unused;
    /// `roles` is a non-empty combination of known role bits. Emits {MemberAdmitted}.
    function admit(
        address account,
        uint32 roles,
        bytes32 creditCodeHash,
        string calldata name,
        string calldata metadataURI,
        bytes32 metadataHash
    ) external;

    /// @notice Replaces the roles of a member that is not revoked.
    /// @dev Requirements: caller is the admin; member exists and is not revoked. Emits {MemberRolesChanged}.
    function setRoles(address account, uint32 roles) external;

    /// @notice Replaces a member's name and metadata.
    /// @dev Requirements: caller is the admin; member exists and is not revoked. Emits {MemberProfileUpdated}.
    function updateProfile(address account, string calldata name, string calldata metadataURI, bytes32 metadataHash)
        external;

    /// @notice Suspends an active member.
    /// @dev Requirements: caller is the admin; member is active. Emits {MemberSuspended}.
    function suspend(address account, bytes32 reasonHash) external;

    /// @notice Reinstates a suspended member.
    /// @dev Requirements: caller is the admin; member is suspended. Emits {MemberReinstated}.
    function reinstate(address account, bytes32 reasonHash) external;

    /// @notice Revokes an active or suspended member; it can never act again.
    /// @dev Requirements: caller is the admin; member is active or suspended. Emits {MemberRevoked}.
    function revoke(address account, bytes32 reasonHash) external;

    /// @notice True when `account` is active and holds every role bit in `role`.
    function hasActiveRole(address account, uint32 role) external view returns (bool);

    /// @notice True when `account` is an active member, whatever its roles.
    function isActiveMember(address account) external view returns (bool);

    /// @notice Reverts with {MissingRole} unless `account` is active and holds every bit in `role`
    /// (`role == 0` asks only for active membership).
    function requireActiveRole(address account, uint32 role) external view;

    /// @notice The stored record of `account` (status `None` when never admitted).
    function memberOf(address account) external view returns (Member memory);
}
