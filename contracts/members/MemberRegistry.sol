// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IMemberRegistry} from "./IMemberRegistry.sol";
import {Roles} from "./Roles.sol";

/// @title MemberRegistry
/// @notice The consortium's member list. The owner is the consortium admin; handing the admin over
/// takes two steps (`transferOwnership` by the admin, `acceptOwnership` by the new one) so a typo
/// cannot lose control of the registry.
contract MemberRegistry is IMemberRegistry, Ownable2Step {
    mapping(address account => Member) private _members;
    mapping(bytes32 creditCodeHash => address account) private _creditCodeHolders;

    constructor(address admin) Ownable(admin) {}

    /// @inheritdoc IMemberRegistry
    function admit(
        address account,
        uint32 roles,
        bytes32 creditCodeHash,
        string calldata name,
        string calldata metadataURI,
        bytes32 metadataHash
    ) external onlyOwner {
        if (account == address(0) || creditCodeHash == bytes32(0)) revert ZeroValue();
        if (_members[account].status != MemberStatus.None) revert MemberAlreadyAdmitted(account);
        address holder = _creditCodeHolders[creditCodeHash];
        if (holder != address(0)) revert CreditCodeInUse(creditCodeHash, holder);
        _requireValidRoles(roles);

        _members[account] = Member({
            roles: roles,
            status: MemberStatus.Active,
            admittedAt: uint64(block.timestamp),
            creditCodeHash: creditCodeHash,
            metadataHash: metadataHash
        });
        _creditCodeHolders[creditCodeHash] = account;
        emit MemberAdmitted(account, roles, creditCodeHash, name, metadataURI, metadataHash);
    }

    /// @inheritdoc IMemberRegistry
    function setRoles(address account, uint32 roles) external onlyOwner {
        Member storage member = _existingMember(account);
        _requireValidRoles(roles);
        uint32 previous = member.roles;
        member.roles = roles;
        emit MemberRolesChanged(account, previous, roles);
    }

    /// @inheritdoc IMemberRegistry
    function updateProfile(address account, string calldata name, string calldata metadataURI, bytes32 metadataHash)
        external
        onlyOwner
    {
        Member storage member = _existingMember(account);
        member.metadataHash = metadataHash;
        emit MemberProfileUpdated(account, name, metadataURI, metadataHash);
    }

    /// @inheritdoc IMemberRegistry
    function suspend(address account, bytes32 reasonHash) external onlyOwner {
        _transition(account, MemberStatus.Active, MemberStatus.Suspended);
        emit MemberSuspended(account, reasonHash);
    }

    /// @inheritdoc IMemberRegistry
    function reinstate(address account, bytes32 reasonHash) external onlyOwner {
        _transition(account, MemberStatus.Suspended, MemberStatus.Active);
        emit MemberReinstated(account, reasonHash);
    }

    /// @inheritdoc IMemberRegistry
    function revoke(address account, bytes32 reasonHash) external onlyOwner {
        Member storage member = _existingMember(account);
        member.status = MemberStatus.Revoked;
        emit MemberRevoked(account, reasonHash);
    }

    /// @notice The admin cannot be renounced: a consortium without an admin could never admit anyone.
    function renounceOwnership() public view override onlyOwner {
        revert AdminCannotBeRenounced();
    }

    /// @inheritdoc IMemberRegistry
    function hasActiveRole(address account, uint32 role) public view returns (bool) {
        Member storage member = _members[account];
        return member.status == MemberStatus.Active && member.roles & role == role;
    }

    /// @inheritdoc IMemberRegistry
    function isActiveMember(address account) external view returns (bool) {
        return _members[account].status == MemberStatus.Active;
    }

    /// @inheritdoc IMemberRegistry
    function requireActiveRole(address account, uint32 role) external view {
        if (!hasActiveRole(account, role)) revert MissingRole(account, role);
    }

    /// @inheritdoc IMemberRegistry
    function memberOf(address account) external view returns (Member memory) {
        return _members[account];
    }

    /// @dev Loads a member that exists and is not revoked; revoked members are frozen for good.
    function _existingMember(address account) private view returns (Member storage member) {
        member = _members[account];
        if (member.status == MemberStatus.None) revert UnknownMember(account);
        if (member.status == MemberStatus.Revoked) revert InvalidMemberStatus(account, member.status);
    }

    function _transition(address account, MemberStatus from, MemberStatus to) private {
        Member storage member = _members[account];
        if (member.status == MemberStatus.None) revert UnknownMember(account);
        if (member.status != from) revert InvalidMemberStatus(account, member.status);
        member.status = to;
    }

    function _requireValidRoles(uint32 roles) private pure {
        if (roles == 0 || roles & ~Roles.ALL != 0) revert InvalidRoles(roles);
    }
}
